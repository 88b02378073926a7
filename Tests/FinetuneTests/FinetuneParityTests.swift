import Foundation
import ShenzhouFinetune
import ShenzhouTestSupport
import Testing

/// Runs `body` with a new temporary directory holding the test vocabulary's vocab.txt, then removes it.
func withScratchDirectory<R>(_ label: String, _ body: (String) throws -> R) throws -> R {
  let directory = try TestEnvironment.temporaryDirectory(label)
  defer { try? FileManager.default.removeItem(atPath: directory) }
  let vocabulary = try FinetuneFixtures.vocabularyDirectory()
  defer { try? FileManager.default.removeItem(atPath: vocabulary) }
  try FileManager.default.copyItem(atPath: vocabulary + "/vocab.txt", toPath: directory + "/vocab.txt")
  return try body(directory)
}

/// Writes examples as the JSON Lines that hf_finetune.py and ShenzhouFinetuneBench read.
func writeExampleLines(_ examples: [ClassificationExample], to path: String) throws {
  let lines = examples.map { example -> String in
    var fields: [String: JSONValue] = ["text": .string(example.text), "label": .number(Double(example.label ?? -100))]
    fields["pair"] = example.pair.map { .string($0) } ?? .null
    return JSONValue.object(fields).serialized(pretty: false)
  }
  try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

func readJSON(_ path: String) throws -> JSONValue {
  try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path)))
}

func numbers(_ value: JSONValue?) -> [Double] {
  value?.arrayValue?.compactMap(\.doubleValue) ?? []
}

/// Twenty updates of Finetuner against the same updates in a plain PyTorch loop over transformers'
/// BertForSequenceClassification (Tests/Fixtures/hf_finetune.py): same initial weights, batches, schedule,
/// clipping and maximum length, with dropout off so that both sides compute the same function.
@Suite(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
struct FinetuneParityTests {
  @Test func lossesMatchTransformersPerUpdate() throws {
    try withScratchDirectory("finetune-parity") { directory in
      let model = directory + "/model"
      let script = TestEnvironment.repositoryRoot + "/Tests/Fixtures/hf_finetune.py"
      let initialized = try TestEnvironment.run(
        TestEnvironment.python,
        [
          script, "init-model", "--vocab", directory + "/vocab.txt", "--output", model, "--labels", "3",
          "--hidden", "32", "--layers", "2", "--heads", "4", "--intermediate", "48", "--max-position", "64",
          "--dropout", "0", "--seed", "3",
        ])
      try #require(initialized.status == 0, "init-model failed: \(initialized.stderr)")

      let train = FinetuneFixtures.classificationExamples(count: 60, pairs: true)
      let dev = FinetuneFixtures.classificationExamples(count: 30, pairs: true, seed: 9)
      try writeExampleLines(train, to: directory + "/train.jsonl")
      try writeExampleLines(dev, to: directory + "/dev.jsonl")

      var config = FinetuneConfig()
      config.learningRate = 1e-3
      config.epochs = 3
      config.maxSteps = 20
      config.batchSize = 4
      config.gradientAccumulation = 2
      config.maxLength = 16
      config.evalBatchSize = 7
      config.evalEvery = 10
      config.seed = 17
      let (loaded, report) = try BertForSequenceClassification.load(directory: ModelDirectory(path: model))
      #expect(report.initializedKeys.isEmpty)
      let log = EventLog()
      let finetuner = try Finetuner(
        task: SequenceClassificationTask(labelCount: 3), model: loaded, tokenizer: BertTokenizer.load(directory: model),
        config: config, events: { log.events.append($0) })
      let result = try finetuner.train(train, dev: dev)
      let plan = TrainingPlan(featureCount: train.count, config: config)
      let learningRates = log.events.compactMap { event -> Double? in
        if case .step(let record) = event { return record.learningRate }
        return nil
      }

      let request = JSONValue.object([
        "model": .string(model), "train": .string(directory + "/train.jsonl"), "dev": .string(directory + "/dev.jsonl"),
        "plan": .array(plan.steps.map { step in .array(step.microBatches.map { .array($0.map { .number(Double($0)) }) }) }),
        "warmup_steps": .number(Double(plan.warmupSteps)), "total_steps": .number(Double(plan.steps.count)),
        "eval_steps": .array(result.evaluations.map { .number(Double($0.step)) }),
        "learning_rate": .number(config.learningRate), "weight_decay": .number(config.weightDecay),
        "max_grad_norm": .number(config.maxGradNorm), "max_length": .number(Double(config.maxLength)),
        "eval_batch_size": .number(Double(config.evalBatchSize)), "seed": .number(Double(config.seed)),
        "precision": .string("fp32"), "threads": .number(0),
      ])
      try request.serialized().write(toFile: directory + "/request.json", atomically: true, encoding: .utf8)
      let reference = try TestEnvironment.run(
        TestEnvironment.python, [script, "train", directory + "/request.json", directory + "/hf.json"])
      try #require(reference.status == 0, "hf_finetune.py train failed: \(reference.stderr)")
      let hf = try readJSON(directory + "/hf.json")

      let hfLosses = numbers(hf["losses"])
      #expect(result.losses.count == 20)
      #expect(hfLosses.count == 20)
      for (step, (ours, theirs)) in zip(result.losses, hfLosses).enumerated() {
        #expect(abs(ours - theirs) < 1e-4, "update \(step + 1): shenzhou \(ours), transformers \(theirs)")
      }
      for (step, (ours, theirs)) in zip(learningRates, numbers(hf["learning_rates"])).enumerated() {
        #expect(abs(ours - theirs) < 1e-12, "learning rate of update \(step + 1)")
      }
      let hfAccuracies = hf["evaluations"]?.arrayValue?.compactMap { $0["accuracy"]?.doubleValue } ?? []
      #expect(hfAccuracies.count == 2)
      for (ours, theirs) in zip(result.evaluations.map(\.metrics.primaryValue), hfAccuracies) {
        #expect(abs(ours - theirs) <= 1.0 / 30 + 1e-9, "dev accuracy shenzhou \(ours), transformers \(theirs)")
      }
    }
  }
}

/// The built ShenzhouFinetuneBench executable next to the test bundle.
let benchExecutable: String = {
  let folder = Bundle.main.bundleURL.deletingLastPathComponent()
  let candidates = [
    folder.appendingPathComponent("ShenzhouFinetuneBench").path,
    TestEnvironment.repositoryRoot + "/.build/debug/ShenzhouFinetuneBench",
  ]
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
}()

/// Runs of the ShenzhouFinetuneBench executable, in their own processes so that no concurrent test draws from
/// libtorch's default generator while dropout does.
@Suite(
  .enabled(
    if: FileManager.default.isExecutableFile(atPath: benchExecutable),
    "needs the ShenzhouFinetuneBench executable (run swift build --build-tests)"))
struct FinetuneDeterminismTests {
  func runBench(directory: String, seed: UInt64, name: String) throws -> [Double] {
    let request = JSONValue.object([
      "model": .string(directory + "/model"), "train": .string(directory + "/train.jsonl"), "dev": .null,
      "learning_rate": .number(2e-3), "epochs": .number(2), "batch_size": .number(8),
      "warmup_ratio": .number(0.1), "weight_decay": .number(0.01), "max_grad_norm": .number(1),
      "max_length": .number(16), "eval_batch_size": .number(16), "seed": .number(Double(seed)),
      "precision": .string("fp32"), "threads": .number(1),
    ])
    let requestPath = directory + "/\(name).request.json"
    try request.serialized().write(toFile: requestPath, atomically: true, encoding: .utf8)
    let outcome = try TestEnvironment.run(benchExecutable, [requestPath, directory + "/\(name).json"])
    try #require(outcome.status == 0, "ShenzhouFinetuneBench failed: \(outcome.stderr)")
    return numbers(try readJSON(directory + "/\(name).json")["losses"])
  }

  @Test func sameSeedGivesSameLossesWithDropout() throws {
    try withScratchDirectory("finetune-determinism") { directory in
      let model = try BertForSequenceClassification(config: FinetuneFixtures.config(dropout: 0.1), generator: Generator(seed: 4))
      try model.save(to: directory + "/model")
      try FileManager.default.copyItem(atPath: directory + "/vocab.txt", toPath: directory + "/model/vocab.txt")
      try writeExampleLines(FinetuneFixtures.classificationExamples(count: 40), to: directory + "/train.jsonl")

      let first = try runBench(directory: directory, seed: 7, name: "first")
      let second = try runBench(directory: directory, seed: 7, name: "second")
      let other = try runBench(directory: directory, seed: 8, name: "other")
      #expect(first.count == 10)
      #expect(first == second)
      #expect(first != other)
    }
  }
}
