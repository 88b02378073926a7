import Foundation
import ShenzhouCLIKit
import ShenzhouModels
import ShenzhouTraining

/// `shenzhou pretrain`: trains an encoder on a prepared corpus.
struct PretrainCommand: Command {
  static let config = Option<String?>(
    "config", valueName: "file", help: "JSON config file; nested objects whose leaves are the keys listed below.")
  static let overrides = Option<[String]>(
    "set", default: [], valueName: "key=value",
    help: "Override one config key, e.g. --set optim.lr=3e-4; repeatable. Values are JSON or bare strings.")

  static let configuration = CommandConfiguration(
    name: "pretrain",
    abstract: "Pretrain a BERT encoder with MLM and the Shenzhou objectives.",
    discussion: """
      The resolved config is printed at start and saved in RUN/config.json and in
      every checkpoint. RUN is run.output_dir. A run writes:
        RUN/checkpoints/step-NNNNNNN/  model, optimizer, data position, RNG state
        RUN/metrics.jsonl              one JSON object per step
        RUN/tensorboard/               TensorBoard event files
        RUN/loss_curve.svg             loss curves at the end
        RUN/model/                     the encoder as a Hugging Face directory
      A second run with the same run.output_dir resumes from the newest checkpoint
      (run.resume true) and sees exactly the batches an uninterrupted run would.

      Config keys (type, default, meaning):

      """ + PretrainConfig.keys.map { key in
        let defaults = PretrainConfig()
        return "  \(key.name) (\(key.kind.rawValue), default \(key.defaultText(defaults)))\n      \(key.help)"
      }.joined(separator: "\n"),
    arguments: [config, overrides])

  let configPath: String?
  let overrideItems: [String]

  init(parsed: ParsedArguments) throws {
    configPath = try parsed[Self.config]
    overrideItems = try parsed[Self.overrides]
  }

  func run() throws {
    let resolved = try PretrainConfig.load(path: configPath, overrides: overrideItems)
    let console = TrainingConsole()
    let trainer = try PretrainTrainer(config: resolved) { console.handle($0) }
    try trainer.run()
  }
}
