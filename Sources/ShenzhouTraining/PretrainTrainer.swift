import Foundation
import ShenzhouData
import ShenzhouModels
import ShenzhouNN

/// Pretrains an encoder on a prepared corpus with the configured objectives, saving checkpoints that resume
/// exactly: the same per-step losses as an uninterrupted run.
public final class PretrainTrainer {
  public let config: PretrainConfig
  let emit: (TrainingEvent) -> Void
  let device: Device

  public init(config: PretrainConfig, events: @escaping (TrainingEvent) -> Void) throws {
    try config.validate()
    self.config = config
    self.emit = events
    self.device = try Device(parsing: config.device)
  }

  var runDirectory: String { config.outputDirectory }
  var checkpointDirectory: String { runDirectory + "/checkpoints" }

  /// Runs until `run.max_steps` or `run.max_minutes`; returns the directory of the exported HF model.
  @discardableResult
  public func run() throws -> String {
    let started = Date()
    if config.threads > 0 { try Runtime.setThreadCount(config.threads) }
    try Runtime.validate(device)
    try FileManager.default.createDirectory(atPath: checkpointDirectory, withIntermediateDirectories: true)

    // Data
    let corpus = try PretrainingCorpus(directory: config.corpus)
    let special = corpus.manifest.vocabulary.specialTokens

    // Model
    try Runtime.manualSeed(UInt64(config.seed))
    let model = try makeModel(vocabularySize: corpus.manifest.vocabulary.size, padTokenId: Int(special.padding))
    try model.convert(device: device)
    model.train()
    try validateLayers(model)
    let teacher = try makeTeacher(model)

    // Optimization
    let groups = try ParameterGroup.decayGroups(of: model, weightDecay: config.weightDecay)
    let hyperparameters = try AdamHyperparameters(beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon)
    let optimizer: any Optimizer =
      config.optimizer == "lamb"
      ? try LAMB(groups: groups, hyperparameters: hyperparameters)
      : try AdamW(groups: groups, hyperparameters: hyperparameters)
    let schedule = try makeSchedule()
    var step = 0
    let strategy = SingleProcessStrategy(
      optimizer: optimizer, namedParameters: model.namedParameters(), clipNorm: config.gradientClip,
      fp16LossScaling: config.precision == "fp16", initialLossScale: config.initialLossScale,
      lossScaleWindow: config.lossScaleWindow, currentStep: { step })

    // Dropout draws from its own generator, saved in checkpoints with the default generator's state.
    let dropoutGenerator = try Generator(seed: UInt64(config.seed) &+ 1)

    // Resume
    var loaderState: LoaderState?
    var resumedFrom: String?
    if config.resume, let latest = try RunCheckpoint.latest(in: checkpointDirectory) {
      let restored = try RunCheckpoint.load(
        directory: latest, model: model, teacher: teacher, strategy: strategy, dropoutGenerator: dropoutGenerator,
        device: device)
      step = restored.step
      loaderState = restored.loaderState
      resumedFrom = latest
    }
    let loader = try PretrainingLoader(
      corpus: corpus, configuration: config.loaderConfiguration, resumeState: loaderState)
    try AtomicFile.write(config.json.serialized() + "\n", to: runDirectory + "/config.json")
    let reporter = try RunReporter(directory: runDirectory, resumingAfterStep: step)

    emit(
      .started(
        config: config.json.serialized(), parameters: model.parameterCount, startStep: step, resumedFrom: resumedFrom,
        timeLimitSeconds: config.maxMinutes > 0 ? config.maxMinutes * 60 : nil))

    let objective = PretrainObjective(
      model: model, teacher: teacher, rdropAlpha: config.rdropAlpha, emaAlpha: config.emaAlpha,
      layerwiseLayers: config.layerwiseLayers, layerwiseWeights: config.layerwiseWeights,
      layerwiseTemperature: config.layerwiseTemperature, autoregressiveGroups: config.autoregressiveGroups,
      device: device)
    let pass = EncoderPass(
      model: model, checkpointing: config.gradientCheckpointing, autocast: autocastType, device: device,
      dropoutGenerator: dropoutGenerator)

    var reason = "reached run.max_steps"
    while step < config.maxSteps {
      if config.maxMinutes > 0, Date().timeIntervalSince(started) > config.maxMinutes * 60 {
        reason = "reached run.max_minutes"
        break
      }
      let stepStart = Date()
      var terms = LossTerms(total: 0, parts: [:])
      var tokens = 0
      for micro in 0..<config.gradientAccumulation {
        guard let batch = loader.next() else { throw ResumeError(message: "the data loader ran out of batches") }
        tokens += batch.attentionMask.reduce(0) { $0 + Int($1) }
        let scale = strategy.lossScale / Double(config.gradientAccumulation)
        let seed = SplitMix64.mix(UInt64(config.seed) &* 1_000_003 &+ UInt64(step * config.gradientAccumulation + micro))
        guard let microTerms = try objective.run(batch: batch, pass: pass, lossScale: scale, groupSeed: seed) else {
          continue
        }
        try checkFinite(microTerms, step: step + 1)
        terms.total += microTerms.total / Double(config.gradientAccumulation)
        for (name, value) in microTerms.parts {
          terms.parts[name, default: 0] += value / Double(config.gradientAccumulation)
        }
      }
      try strategy.synchronizeGradients()
      let outcome = try strategy.step(learningRate: schedule.lr(step: step))
      try strategy.zeroGrad()
      if let teacher, !outcome.skipped { try updateTeacher(teacher, from: model) }
      step += 1

      let seconds = Date().timeIntervalSince(stepStart)
      let record = StepRecord(
        step: step, loss: terms.total, parts: terms.parts, learningRate: outcome.learningRate,
        gradNorm: outcome.gradNorm, tokensPerSecond: Double(tokens) / Swift.max(seconds, 1e-9),
        millisecondsPerStep: seconds * 1000, skipped: outcome.skipped, lossScale: outcome.lossScale,
        elapsedSeconds: Date().timeIntervalSince(started))
      try reporter.record(record)
      let logged = step % config.logEvery == 0 || step == 1 || step == config.maxSteps
      emit(.step(record, maxSteps: config.maxSteps, logged: logged))
      if config.saveEvery > 0, step % config.saveEvery == 0, step < config.maxSteps {
        try save(step: step, model: model, teacher: teacher, strategy: strategy, loader: loader, dropout: dropoutGenerator)
      }
    }
    try save(step: step, model: model, teacher: teacher, strategy: strategy, loader: loader, dropout: dropoutGenerator)
    let export = runDirectory + "/model"
    try exportModel(model, to: export, corpus: corpus)
    try reporter.finish()
    emit(.finished(step: step, exportedModel: export, reason: reason))
    return export
  }

  // MARK: - Setup

  var autocastType: DType? {
    switch config.precision {
    case "bf16": .bfloat16
    case "fp16": .float16
    default: nil
    }
  }

  func makeModel(vocabularySize: Int, padTokenId: Int) throws -> BertForMaskedLM {
    if !config.initFrom.isEmpty {
      let directory = try ModelDirectory(path: config.initFrom)
      let (model, _) = try BertForMaskedLM.load(directory: directory, allowMissingHead: true)
      guard model.config.vocabSize == vocabularySize else {
        throw PretrainConfigError(
          source: "config", key: "model.init_from",
          message: "the model's vocab_size \(model.config.vocabSize) differs from the corpus vocabulary "
            + "(\(vocabularySize)); prepare the corpus with the model's vocab.txt")
      }
      return model
    }
    let bertConfig = try config.bertConfig(vocabSize: vocabularySize, padTokenId: padTokenId)
    return try BertForMaskedLM(config: bertConfig, generator: Generator(seed: UInt64(config.seed)))
  }

  func validateLayers(_ model: BertForMaskedLM) throws {
    let layers = model.config.numHiddenLayers
    for layer in config.layerwiseLayers where layer < 1 || layer >= layers {
      throw PretrainConfigError(
        source: "config", key: "objective.layerwise_layers",
        message: "layer \(layer) is out of range; choose intermediate layers 1...\(layers - 1)")
    }
  }

  func makeTeacher(_ model: BertForMaskedLM) throws -> BertForMaskedLM? {
    guard config.emaAlpha > 0 else { return nil }
    let teacher = try BertForMaskedLM(config: model.config, addPoolingLayer: model.bert.pooler != nil)
    try teacher.convert(device: device)
    try teacher.loadStateDict(model.namedParameters().map { ($0.0, $0.1.value) }, source: "student")
    try teacher.freeze()
    teacher.eval()
    return teacher
  }

  func updateTeacher(_ teacher: BertForMaskedLM, from model: BertForMaskedLM) throws {
    let momentum = config.emaMomentum
    let studentParameters = Dictionary(model.namedParameters(), uniquingKeysWith: { first, _ in first })
    for (name, parameter) in teacher.namedParameters() {
      guard let source = studentParameters[name] else { continue }
      try parameter.value.scale(by: momentum)
      try parameter.value.addScaled(source.value, alpha: 1 - momentum)
    }
  }

  func makeSchedule() throws -> LRSchedule {
    switch config.schedule {
    case "cosine":
      return try LRSchedule.cosine(
        peakLR: config.learningRate, warmupSteps: config.warmupSteps, totalSteps: config.maxSteps,
        minLRRatio: config.minLearningRateRatio)
    case "constant":
      return try LRSchedule.constant(peakLR: config.learningRate, warmupSteps: config.warmupSteps)
    default:
      return try LRSchedule.linear(
        peakLR: config.learningRate, warmupSteps: config.warmupSteps, totalSteps: config.maxSteps)
    }
  }

  /// Stops with a diagnosis naming the objective when a loss is inf or nan (fp16 skips bad steps instead, through
  /// the gradient check in the strategy).
  func checkFinite(_ terms: LossTerms, step: Int) throws {
    guard !terms.total.isFinite, config.precision != "fp16" else { return }
    let bad = terms.parts.filter { !$0.value.isFinite }.map(\.key).sorted()
    throw NonFiniteLossError(step: step, objectives: bad.isEmpty ? ["total"] : bad)
  }

  // MARK: - Checkpoints

  func save(
    step: Int, model: BertForMaskedLM, teacher: BertForMaskedLM?, strategy: any TrainingStrategy,
    loader: PretrainingLoader, dropout: Generator
  ) throws {
    let path = try RunCheckpoint.save(
      step: step, in: checkpointDirectory, model: model, teacher: teacher, strategy: strategy,
      loaderState: loader.state, dropoutGenerator: dropout, config: config, keepLast: config.keepLast)
    emit(.checkpointSaved(path: path, step: step))
  }

  /// Saves the encoder as a Hugging Face directory with the corpus's tokenizer files, which `shenzhou prepare`
  /// copies into the corpus directory. The vocabulary must be the one the corpus was prepared with (same SHA-256 as
  /// the manifest records), so that the exported ids and tokens agree.
  func exportModel(_ model: BertForMaskedLM, to directory: String, corpus: PretrainingCorpus) throws {
    try model.save(to: directory)
    let names = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
    let present = names.filter { FileManager.default.fileExists(atPath: corpus.directory + "/" + $0) }
    guard let checksummed = present.first(where: { $0 == "vocab.txt" || $0 == "tokenizer.json" }) else {
      throw ResumeError(
        message: "\(corpus.directory) has no vocab.txt or tokenizer.json, so the exported model in \(directory) "
          + "has no tokenizer; copy the vocabulary the corpus was prepared with into the corpus directory")
    }
    let digest = try BertPretrainingEncoder.fileSHA256(corpus.directory + "/" + checksummed)
    guard digest == corpus.manifest.vocabulary.sha256 else {
      throw ResumeError(
        message: "\(corpus.directory)/\(checksummed) is not the vocabulary the corpus was prepared with (SHA-256 "
          + "\(digest) vs \(corpus.manifest.vocabulary.sha256) in manifest.json); put the right file there")
    }
    for name in present {
      let target = directory + "/" + name
      try? FileManager.default.removeItem(atPath: target)
      try FileManager.default.copyItem(atPath: corpus.directory + "/" + name, toPath: target)
    }
  }
}

/// A loss that became inf or nan, with the step and the objectives responsible.
public struct NonFiniteLossError: Error, CustomStringConvertible, Sendable {
  public let step: Int
  public let objectives: [String]

  public var description: String {
    "step \(step): the loss became non-finite in objective(s) \(objectives.joined(separator: ", ")); "
      + "lower optim.lr, raise optim.warmup_steps, or use precision.mode fp32"
  }
}
