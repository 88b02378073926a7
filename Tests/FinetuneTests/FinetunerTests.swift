import Foundation
import ShenzhouFinetune
import ShenzhouTestSupport
import Testing

@Suite struct FinetunerTests {
  func baseConfig() -> FinetuneConfig {
    var config = FinetuneConfig()
    config.learningRate = 2e-3
    config.epochs = 2
    config.batchSize = 8
    config.evalBatchSize = 16
    config.maxLength = 16
    config.seed = 11
    return config
  }

  /// Trains a new random model for `config` and returns the model, the result and the events.
  func trainOnce(
    _ config: FinetuneConfig, modelSeed: UInt64 = 5, dev: [ClassificationExample]? = nil
  ) throws -> (BertForSequenceClassification, FinetuneResult, EventLog) {
    let model = try BertForSequenceClassification(config: FinetuneFixtures.config(), generator: Generator(seed: modelSeed))
    let log = EventLog()
    let finetuner = try Finetuner(
      task: SequenceClassificationTask(labelCount: 3), model: model, tokenizer: FinetuneFixtures.tokenizer(),
      config: config, events: { log.events.append($0) })
    let result = try finetuner.train(
      FinetuneFixtures.classificationExamples(count: 40),
      dev: dev ?? FinetuneFixtures.classificationExamples(count: 24, seed: 2))
    return (model, result, log)
  }

  // MARK: - Determinism

  @Test func otherSeedGivesOtherLosses() throws {
    var config = baseConfig()
    let (_, first, _) = try trainOnce(config)
    config.seed = 12
    let (_, second, _) = try trainOnce(config)
    #expect(first.losses != second.losses)
  }

  // MARK: - Dropout

  /// Returns the first update's loss next to the loss of the untrained model in evaluation mode on the same
  /// single batch of all examples.
  func firstLossAndEvalLoss(dropout: Double) throws -> (train: Double, eval: Double) {
    let examples = FinetuneFixtures.classificationExamples(count: 40)
    let tokenizer = try FinetuneFixtures.tokenizer()
    // A wide initialization gives logits far from zero, where dropout moves the loss visibly.
    var modelConfig = FinetuneFixtures.config(dropout: dropout)
    modelConfig.initializerRange = 0.5
    let model = try BertForSequenceClassification(config: modelConfig, generator: Generator(seed: 5))
    model.eval()
    let encodings = try tokenizer.encodeBatch(
      examples.map(\.text), maxLength: 16, truncation: .longestFirst, padding: .longest)
    let length = encodings[0].count
    let inputs = BertInputs(
      inputIds: try Tensor(encodings.flatMap(\.ids).map(Int64.init), shape: [40, length]),
      attentionMask: try Tensor(encodings.flatMap(\.attentionMask).map(Int64.init), shape: [40, length]))
    let labels = try Tensor(examples.map { Int64($0.label ?? 0) })
    let evalLoss = try withNoGrad { try #require(model(inputs, labels: labels).loss).item() }

    var config = baseConfig()
    config.maxSteps = 1
    config.batchSize = 40
    let log = EventLog()
    let finetuner = try Finetuner(
      task: SequenceClassificationTask(labelCount: 3), model: model, tokenizer: tokenizer, config: config,
      events: { log.events.append($0) })
    try finetuner.train(examples)
    return (try #require(log.losses.first), evalLoss)
  }

  @Test func dropoutIsActiveInTraining() throws {
    let withDropout = try firstLossAndEvalLoss(dropout: 0.1)
    #expect(abs(withDropout.train - withDropout.eval) > 1e-3, "\(withDropout)")
    let withoutDropout = try firstLossAndEvalLoss(dropout: 0)
    #expect(abs(withoutDropout.train - withoutDropout.eval) < 1e-5, "\(withoutDropout)")
  }

  // MARK: - Events and evaluation

  @Test func eventsArriveInOrder() throws {
    var config = baseConfig()
    config.evalEvery = 4
    let (_, result, log) = try trainOnce(config)
    #expect(log.names.first == "started")
    #expect(log.names.last == "finished")
    #expect(log.names.filter { $0 == "step" }.count == 10)
    #expect(result.evaluations.map(\.step) == [4, 8, 10])
    #expect(log.losses == result.losses)
    let steps = log.events.compactMap { event -> FinetuneStepRecord? in
      if case .step(let record) = event { return record }
      return nil
    }
    #expect(steps.map(\.step) == Array(1...10))
    #expect(steps[0].learningRate == 0)
    #expect(steps.map(\.epoch) == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
    #expect(steps.allSatisfy { $0.gradNorm.isFinite })
    #expect(steps.allSatisfy { $0.gradNorm > 0 })
  }

  @Test func evaluatesAtEpochEndsByDefault() throws {
    let (_, result, _) = try trainOnce(baseConfig())
    #expect(result.evaluations.map(\.step) == [5, 10])
    #expect(result.evaluations.map(\.epoch) == [1, 2])
  }

  @Test func noDevSetMeansNoEvaluation() throws {
    let (model, result, log) = try trainOnce(baseConfig(), dev: [])
    #expect(result.evaluations.isEmpty)
    #expect(result.best == nil)
    #expect(!log.names.contains("evaluated"))
    #expect(!model.isTraining)
  }

  @Test func learnsLearnableLabels() throws {
    var config = baseConfig()
    config.epochs = 8
    config.learningRate = 5e-3
    config.maxGradNorm = 0
    let (_, result, _) = try trainOnce(config, dev: FinetuneFixtures.classificationExamples(count: 40))
    // Single batches are noisy, so compare the mean loss of the first and last few updates.
    let window = Swift.min(4, result.losses.count / 2)
    try #require(window > 0)
    let first = result.losses.prefix(window).reduce(0, +) / Double(window)
    let last = result.losses.suffix(window).reduce(0, +) / Double(window)
    #expect(last < first * 0.7, "mean loss went from \(first) to \(last)")
    #expect((result.best?.metrics.primaryValue ?? 0) > 0.6)
  }

  // MARK: - Best checkpoint

  @Test func bestCheckpointIsSavedAndRestored() throws {
    let output = try TestEnvironment.temporaryDirectory("finetune-best")
    defer { try? FileManager.default.removeItem(atPath: output) }
    let vocabulary = try FinetuneFixtures.vocabularyDirectory()
    defer { try? FileManager.default.removeItem(atPath: vocabulary) }
    var config = baseConfig()
    config.evalEvery = 3
    config.outputDirectory = output
    config.tokenizerDirectory = vocabulary
    let dev = FinetuneFixtures.classificationExamples(count: 24, seed: 2)
    let (model, result, log) = try trainOnce(config, dev: dev)

    let best = try #require(result.best)
    let path = try #require(result.bestCheckpoint)
    #expect(path == output + "/best")
    for name in ["config.json", "model.safetensors", "vocab.txt", "eval_results.json"] {
      #expect(FileManager.default.fileExists(atPath: path + "/" + name), "\(name) is missing")
    }
    #expect(FileManager.default.fileExists(atPath: output + "/finetune_config.json"))
    #expect(log.names.contains("checkpointSaved"))
    let saved = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path + "/eval_results.json")))
    #expect(saved["step"]?.intValue == best.step)
    #expect(best.metrics.primaryValue == result.evaluations.map(\.metrics.primaryValue).max())

    let (reloaded, report) = try BertForSequenceClassification.load(directory: ModelDirectory(path: path))
    #expect(report.initializedKeys.isEmpty)
    for ((name, restored), (_, live)) in zip(reloaded.namedParameters(), model.namedParameters()) {
      #expect(try (restored.value - live.value).abs().max().item() == 0, "\(name) differs from the best weights")
    }
    let tokenizer = try BertTokenizer.load(directory: path)
    let check = try Finetuner(
      task: SequenceClassificationTask(labelCount: 3), model: reloaded, tokenizer: tokenizer, config: baseConfig())
    #expect(try check.evaluate(dev).metrics == best.metrics)
  }

  // MARK: - Precision

  @Test func bfloat16TracksFloat32() throws {
    var config = baseConfig()
    config.maxSteps = 3
    let (_, full, _) = try trainOnce(config)
    config.precision = .bfloat16
    let (_, half, _) = try trainOnce(config)
    #expect(half.losses.count == 3)
    for (a, b) in zip(full.losses, half.losses) {
      #expect(abs(a - b) < 0.05, "fp32 \(a) against bf16 \(b)")
    }
  }

  // MARK: - Invalid input

  @Test func invalidLabelNamesSetAndIndex() throws {
    let model = try BertForSequenceClassification(config: FinetuneFixtures.config())
    let finetuner = try Finetuner(
      task: SequenceClassificationTask(labelCount: 3), model: model, tokenizer: FinetuneFixtures.tokenizer(),
      config: baseConfig())
    var examples = FinetuneFixtures.classificationExamples(count: 5)
    examples[3].label = 7
    let error = #expect(throws: FinetuneError.self) { try finetuner.train(examples) }
    #expect(error == .invalidExample(set: "train", index: 3, message: "label 7 is outside 0..<3; map labels to indices of the label list"))
    #expect(error?.description.hasPrefix("invalid train example 3: label 7") == true)
  }

  @Test func unlabelledTrainingExampleIsRejected() throws {
    let model = try BertForSequenceClassification(config: FinetuneFixtures.config())
    let finetuner = try Finetuner(
      task: SequenceClassificationTask(labelCount: 3), model: model, tokenizer: FinetuneFixtures.tokenizer(),
      config: baseConfig())
    var examples = FinetuneFixtures.classificationExamples(count: 5)
    examples[2].label = nil
    let error = #expect(throws: FinetuneError.self) { try finetuner.train(examples) }
    #expect(error == .invalidExample(set: "train", index: 2, message: "has no label; training examples need one"))
  }

  @Test func emptyTrainingSetIsRejected() throws {
    let model = try BertForSequenceClassification(config: FinetuneFixtures.config())
    let finetuner = try Finetuner(
      task: SequenceClassificationTask(labelCount: 3), model: model, tokenizer: FinetuneFixtures.tokenizer(),
      config: baseConfig())
    #expect(throws: FinetuneError.emptyTrainingSet) { try finetuner.train([]) }
  }

  @Test func labelCountMustMatchModel() throws {
    let model = try BertForSequenceClassification(config: FinetuneFixtures.config(labels: 4))
    let error = #expect(throws: FinetuneError.self) {
      try Finetuner(
        task: SequenceClassificationTask(labelCount: 3), model: model, tokenizer: FinetuneFixtures.tokenizer(),
        config: baseConfig())
    }
    #expect(error?.description.contains("the model has 4 labels but the task has 3") == true)
  }

  @Test func invalidSettingsAreNamed() throws {
    let cases: [(String, (inout FinetuneConfig) -> Void)] = [
      ("learning_rate", { $0.learningRate = -1 }),
      ("epochs", { $0.epochs = 0 }),
      ("batch_size", { $0.batchSize = 0 }),
      ("eval_batch_size", { $0.evalBatchSize = 0 }),
      ("max_length", { $0.maxLength = 2 }),
      ("warmup_ratio", { $0.warmupRatio = 1.5 }),
      ("weight_decay", { $0.weightDecay = .nan }),
      ("gradient_accumulation", { $0.gradientAccumulation = 0 }),
      ("max_grad_norm", { $0.maxGradNorm = -1 }),
      ("max_steps", { $0.maxSteps = 0 }),
      ("eval_every", { $0.evalEvery = -1 }),
      ("output_dir", { $0.outputDirectory = "" }),
    ]
    for (field, change) in cases {
      var config = FinetuneConfig()
      change(&config)
      let error = #expect(throws: FinetuneError.self) { try config.validate() }
      guard case .invalidConfig(let named, _)? = error else {
        Issue.record("expected invalidConfig for \(field), got \(String(describing: error))")
        continue
      }
      #expect(named == field)
    }
  }
}

@Suite struct SeedSweepTests {
  @Test func summaryHasMeanAndSampleDeviation() throws {
    let summary = try SeedSweep.run(seeds: [1, 2, 3]) { seed in Double(seed) * 2 }
    #expect(summary.values == [2, 4, 6])
    #expect(summary.mean == 4)
    #expect(summary.standardDeviation == 2)
    #expect(summary.description == "4.0000 ± 2.0000 over 3 seeds")
  }

  @Test func sweepSeedsDefaultGenerator() throws {
    // Reads the generator state at once: a model built here would draw for longer, and other suites may draw
    // from the default generator concurrently.
    var states: [[UInt8]] = []
    _ = try SeedSweep.run(seeds: [7, 8, 7]) { _ in
      states.append(try Generator.defaultCPUState())
      return 0
    }
    #expect(states[0] == states[2])
    #expect(states[0] != states[1])
  }

  @Test func singleSeedHasZeroDeviation() throws {
    let summary = try SeedSweep.run(seeds: [5]) { _ in 0.5 }
    #expect(summary.standardDeviation == 0)
  }
}
