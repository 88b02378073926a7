import Foundation
import ShenzhouCLIKit
import ShenzhouFinetune
import ShenzhouModels
import ShenzhouTasks

/// Options shared by `finetune` and `predict` that select the task the files belong to.
enum TaskOptions {
  static let task = Option<String>(
    "task", valueName: "name",
    help: "afqmc, tnews, iflytek, ocnli, cmnli, cluewsc2020, csl, cmrc2018, chid, c3, cluener, or generic "
      + "(JSON Lines, or TSV with a header line when the file ends in .tsv, with --text-field, --pair-field, "
      + "--label-field).")
  static let labels = Option<String?>(
    "labels", valueName: "file", help: "labels.json replacing the task's labels (TNEWS, IFLYTEK, generic).")
  static let entityTypes = Option<[String]>(
    "entity-types", default: [], valueName: "type",
    help: "Entity types of a token classification task, replacing CLUENER's ten (e.g. PER LOC ORG).")
  static let textField = Option<String>("text-field", default: "text", valueName: "field", help: "generic: text field.")
  static let pairField = Option<String?>("pair-field", valueName: "field", help: "generic: second text field.")
  static let labelField = Option<String>("label-field", default: "label", valueName: "field", help: "generic: label field.")
  static let tnewsKeywords = Flag("tnews-keywords", help: "TNEWS: append the keywords field to the sentence.")
  static let tagScheme = Option<String>(
    "tag-scheme", default: "bio", valueName: "scheme", help: "Token classification tags: bio or bioes.")

  static let all: [any ArgumentDefinition] = [
    task, labels, entityTypes, textField, pairField, labelField, tnewsKeywords, tagScheme,
  ]

  static func selection(_ parsed: ParsedArguments, trainFile: String?, modelLabels: [String]? = nil) throws
    -> TaskSelection
  {
    var selection = try TaskSelection.resolve(
      task: try parsed[task], labelsFile: try parsed[labels], entityTypes: try parsed[entityTypes],
      trainFile: trainFile, textField: try parsed[textField], pairField: try parsed[pairField],
      labelField: try parsed[labelField], tnewsKeywords: try parsed[tnewsKeywords], modelLabels: modelLabels)
    let scheme = try parsed[tagScheme]
    guard let tags = TagScheme(rawValue: scheme) else {
      throw UsageError("--tag-scheme expects bio or bioes, got \"\(scheme)\"")
    }
    selection.tagScheme = tags
    return selection
  }
}

/// `shenzhou finetune`: trains a task head on a pretrained encoder and keeps the best dev checkpoint.
struct FinetuneCommand: Command {
  static let model = Option<String>("model", valueName: "dir", help: "Pretrained (or fine-tuned) HF model directory.")
  static let train = Option<String>("train", valueName: "file", help: "Training file in the task's format.")
  static let dev = Option<String>("dev", valueName: "file", help: "Labelled dev file, evaluated during training.")
  static let test = Option<String?>(
    "test", valueName: "file", help: "Labelled test file, scored once with the best dev checkpoint.")
  static let fromScratch = Flag(
    "from-scratch",
    help: "Ignore the weights of --model and start from random init with its config (a baseline for pretraining).")
  static let output = Option<String>(
    "output", valueName: "dir", help: "Run directory; the best dev checkpoint goes to OUTPUT/best (per seed).")
  static let epochs = Option<Int?>("epochs", constraint: .positive, valueName: "n", help: "Epochs; default: the task's.")
  static let maxSteps = Option<Int?>(
    "max-steps", constraint: .positive, valueName: "n", unit: "optimizer steps", help: "Stop after this many steps.")
  static let learningRate = Option<Double?>("lr", constraint: .positive, valueName: "rate", help: "Peak learning rate; default: the task's.")
  static let batchSize = Option<Int?>(
    "batch-size", constraint: .positive, valueName: "n", help: "Examples per step; default: the task's.")
  static let maxLength = Option<Int?>(
    "max-length", constraint: .positive, valueName: "n", unit: "tokens",
    help: "Longest input with special tokens; longer inputs are truncated (longest first). Default: the task's.")
  static let evalEvery = Option<Int>(
    "eval-every", default: 0, constraint: .nonNegative, valueName: "n", unit: "steps",
    help: "Evaluate on --dev every n steps; 0 evaluates after each epoch.")
  static let accumulation = Option<Int>(
    "grad-accum", default: 1, constraint: .positive, valueName: "n", help: "Micro-batches per optimizer step.")
  static let bf16 = Flag("bf16", help: "Compute in bfloat16 autocast.")
  static let seeds = Option<[Int]>(
    "seeds", default: [42], constraint: .nonNegative, valueName: "n", help: "Seeds; several run one after another and report mean ± std.")
  static let device = Option<String>("device", default: "cpu", valueName: "device", help: "cpu, cuda or cuda:N.")

  static let configuration = CommandConfiguration(
    name: "finetune",
    abstract: "Fine-tune a pretrained encoder on a CLUE task, CLUENER or your own classification data.",
    discussion: """
      Reads each task's published format (see docs/tasks.md). Prints one line per
      evaluation and, at the end, one JSON object with the best dev metrics per seed
      and their mean and standard deviation:
        {"task": String, "seeds": [Int], "metric": String, "mean": Double, "std": Double,
         "test_mean": Double | null,
         "runs": [{"seed": Int, "metrics": {...}, "test_metrics": {...} | null, "checkpoint": String}]}
      Accuracy, entity P/R/F1 and EM/F1 are in percent. "mean" and "std" are over the
      seeds' best dev values of "metric"; "test_mean" averages the same metric on --test.
      The same object is written to OUTPUT/results.json.
      """,
    arguments: [model, train, dev, test, fromScratch, output, epochs, maxSteps, learningRate, batchSize, maxLength, evalEvery,
                accumulation, bf16, seeds, device] + TaskOptions.all)

  let modelPath: String
  let trainPath: String
  let devPath: String
  let testPath: String?
  let startsFromScratch: Bool
  let outputPath: String
  let selection: TaskSelection
  let baseConfig: FinetuneConfig
  let seedList: [Int]

  init(parsed: ParsedArguments) throws {
    modelPath = try parsed[Self.model]
    trainPath = try parsed[Self.train]
    devPath = try parsed[Self.dev]
    testPath = try parsed[Self.test]
    startsFromScratch = try parsed[Self.fromScratch]
    outputPath = try parsed[Self.output]
    selection = try TaskOptions.selection(parsed, trainFile: trainPath)
    seedList = try parsed[Self.seeds]
    let defaults = selection.spec.defaults
    var config = FinetuneConfig()
    config.learningRate = try parsed[Self.learningRate] ?? defaults.learningRate
    config.epochs = try parsed[Self.epochs] ?? defaults.epochs
    config.maxSteps = try parsed[Self.maxSteps]
    config.batchSize = try parsed[Self.batchSize] ?? defaults.batchSize
    config.maxLength = try parsed[Self.maxLength] ?? defaults.maxLength
    config.evalEvery = try parsed[Self.evalEvery]
    config.gradientAccumulation = try parsed[Self.accumulation]
    config.precision = try parsed[Self.bf16] ? .bfloat16 : .float32
    config.tokenizerDirectory = modelPath
    let deviceText = try parsed[Self.device]
    do {
      config.device = try Device(parsing: deviceText)
    } catch {
      throw UsageError("--device expects cpu, cuda or cuda:N, got \"\(deviceText)\"")
    }
    baseConfig = config
  }

  func validate() throws {
    if outputPath.isEmpty { throw UsageError("--output must name a directory") }
  }

  func run() throws {
    let train = try selection.read(path: trainPath, requireLabels: true)
    let dev = try selection.read(path: devPath, requireLabels: true)
    guard train.count > 0 else { throw UsageError("\(trainPath) has no examples; give a training file with records") }
    guard dev.count > 0 else {
      throw UsageError("\(devPath) has no examples; the best checkpoint is chosen on --dev, so it needs records")
    }
    let test = try testPath.map { try selection.read(path: $0, requireLabels: true) }
    print("task \(selection.spec.name): \(train.count) train, \(dev.count) dev, \(test?.count ?? 0) test examples")
    var runs: [(seed: Int, outcome: TaskRunner.Outcome)] = []
    for seed in seedList {
      var config = baseConfig
      config.seed = UInt64(seed)
      config.outputDirectory = seedList.count == 1 ? outputPath : "\(outputPath)/seed-\(seed)"
      let runner = TaskRunner(selection: selection, config: config, events: { FinetuneConsole.print($0, seed: seed) })
      runs.append(
        (seed, try runner.finetune(model: modelPath, train: train, dev: dev, test: test, fromScratch: startsFromScratch)))
    }
    let primary = runs.first?.outcome.primary ?? ""
    let values = runs.map { $0.outcome.metrics[primary] ?? .nan }
    let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    let variance = values.count > 1
      ? values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1) : 0
    let testValues = runs.compactMap { $0.outcome.testMetrics?[primary] }
    let testMean = testValues.isEmpty ? nil : testValues.reduce(0, +) / Double(testValues.count)
    let result = OrderedJSONObject([
      ("task", .value(.string(selection.spec.name))),
      ("seeds", .value(.array(seedList.map { .number(Double($0)) }))),
      ("metric", .value(.string(primary))),
      ("mean", .value(.number(mean))),
      ("std", .value(.number(variance.squareRoot()))),
      ("test_mean", .value(testMean.map { .number($0) } ?? .null)),
      ("runs", .array(runs.map { run in
        .object(OrderedJSONObject([
          ("seed", .value(.number(Double(run.seed)))),
          ("metrics", .value(.object(run.outcome.metrics.mapValues { .number($0) }))),
          ("test_metrics", .value(run.outcome.testMetrics.map { .object($0.mapValues { .number($0) }) } ?? .null)),
          ("checkpoint", .value(run.outcome.bestCheckpoint.map { .string($0) } ?? .null)),
        ]))
      })),
    ])
    try FileManager.default.createDirectory(atPath: outputPath, withIntermediateDirectories: true)
    try AtomicFile.write(result.serialized() + "\n", to: outputPath + "/results.json")
    print(result.serialized())
    if seedList.count > 1 {
      print("\(selection.spec.name) \(primary): " + String(format: "%.2f ± %.2f", mean, variance.squareRoot())
        + " over \(seedList.count) seeds")
    }
  }
}

/// Prints fine-tuning progress lines.
enum FinetuneConsole {
  static func print(_ event: FinetuneEvent, seed: Int) {
    switch event {
    case .started(let trainExamples, _, let devExamples, let totalSteps, _, _):
      Swift.print("seed \(seed): \(trainExamples) train, \(devExamples) dev examples, \(totalSteps) steps")
    case .step(let record) where record.step % 50 == 0 || record.step == 1:
      Swift.print(
        String(
          format: "seed %d step %5d/%d  epoch %d  loss %.4f  lr %.2e  %.1f examples/s", seed, record.step,
          record.totalSteps, record.epoch, record.loss, record.learningRate, record.examplesPerSecond))
    case .evaluated(let record):
      let metrics = record.metrics.values.keys.sorted().map {
        "\($0) " + String(format: "%.2f", record.metrics.values[$0] ?? .nan)
      }
      Swift.print("seed \(seed) step \(record.step): dev " + metrics.joined(separator: "  ") + (record.isBest ? "  (best)" : ""))
    default:
      break
    }
    fflush(nil)
  }
}
