import Foundation
import ShenzhouModels
import ShenzhouText

/// Fine-tunes a BERT task model on in-memory examples.
///
/// Training runs the updates of a `TrainingPlan` with AdamW (no weight decay on biases and LayerNorm weights),
/// linear warmup then linear decay of the learning rate, gradient clipping and dropout in training mode. It
/// evaluates on the dev set every `evalEvery` updates (or at each epoch's end) and keeps the weights of the best
/// evaluation, saved as a Hugging Face model directory when `outputDirectory` is set. A run is deterministic for
/// a seed on one machine and thread count: the shuffles come from the seed, and libtorch's default generators,
/// which draw the dropout masks, are seeded with it when training starts.
///
/// Progress goes to the `events` callback, and the library never prints.
public final class Finetuner<Task: FinetuneTask> {
  public let task: Task
  public let model: Task.Model
  public let tokenizer: BertTokenizer
  public let config: FinetuneConfig
  let metric: (([Task.Prediction], [Task.Example]) throws -> EvaluationMetrics)?
  let emit: (FinetuneEvent) -> Void

  /// - Parameters:
  ///   - metric: scores dev predictions in place of the task's own metric; its primary value selects the best
  ///     checkpoint.
  ///   - events: receives progress, on the calling thread.
  /// - Throws: `FinetuneError.invalidConfig` for an invalid setting or a model that does not fit the task.
  public init(
    task: Task, model: Task.Model, tokenizer: BertTokenizer, config: FinetuneConfig,
    metric: (([Task.Prediction], [Task.Example]) throws -> EvaluationMetrics)? = nil,
    events: @escaping (FinetuneEvent) -> Void = { _ in }
  ) throws {
    try config.validate()
    try task.validate(model)
    self.task = task
    self.model = model
    self.tokenizer = tokenizer
    self.config = config
    self.metric = metric
    self.emit = events
  }

  // MARK: - Training

  /// Trains on `train` and evaluates on `dev` (which may be empty), returning the losses, evaluations and best
  /// checkpoint. The model ends in evaluation mode, holding the best dev weights when `restoreBestAtEnd` is set
  /// and a dev set was given.
  ///
  /// - Throws: `FinetuneError` for an invalid or unlabelled training example, an empty training set, a
  ///   non-finite loss or a checkpoint that cannot be written; `TensorError` when libtorch fails.
  @discardableResult
  public func train(_ train: [Task.Example], dev: [Task.Example] = []) throws -> FinetuneResult {
    let clock = ContinuousClock()
    let started = clock.now
    try prepareDevice()
    let trainFeatures = try encode(train, set: "train")
    guard !trainFeatures.isEmpty else { throw FinetuneError.emptyTrainingSet }
    if let index = trainFeatures.firstIndex(where: { $0.target == .none }) {
      throw FinetuneError.invalidExample(
        set: "train", index: trainFeatures[index].exampleIndex, message: "has no label; training examples need one")
    }
    let devFeatures = try encode(dev, set: "dev")

    let plan = TrainingPlan(featureCount: trainFeatures.count, config: config)
    let schedule = try LRSchedule.linear(
      peakLR: config.learningRate, warmupSteps: plan.warmupSteps, totalSteps: plan.steps.count)
    let optimizer = try AdamW(
      groups: ParameterGroup.decayGroups(of: model, weightDecay: config.weightDecay),
      hyperparameters: config.adam)
    try writeRunConfig()
    try Runtime.manualSeed(config.seed)
    emit(
      .started(
        trainExamples: train.count, trainFeatures: trainFeatures.count, devExamples: dev.count,
        totalSteps: plan.steps.count, warmupSteps: plan.warmupSteps, parameters: model.parameterCount))

    var tracker = BestTracker()
    var losses: [Double] = []
    model.train()
    for (index, step) in plan.steps.enumerated() {
      let stepStarted = clock.now
      let loss = try accumulateGradients(step, features: trainFeatures, optimizer: optimizer)
      guard loss.isFinite else { throw FinetuneError.nonFiniteLoss(step: index + 1, value: loss) }
      let norm =
        config.maxGradNorm > 0
        ? try clipGradNorm(optimizer.parameters, maxNorm: config.maxGradNorm)
        : try gradNorm(optimizer.parameters).item()
      let learningRate = schedule.lr(step: index)
      try optimizer.step(lr: learningRate)
      losses.append(loss)

      let featureCount = step.microBatches.reduce(0) { $0 + $1.count }
      let stepSeconds = Swift.max(seconds(clock.now - stepStarted), 1e-9)
      emit(
        .step(
          FinetuneStepRecord(
            step: index + 1, totalSteps: plan.steps.count, epoch: step.epoch, loss: loss,
            learningRate: learningRate, gradNorm: norm, examples: featureCount, seconds: stepSeconds,
            examplesPerSecond: Double(featureCount) / stepSeconds, elapsedSeconds: seconds(clock.now - started))))

      if !dev.isEmpty, isEvaluationDue(after: index, plan: plan) {
        try evaluateAndKeepBest(
          devFeatures, dev, step: index + 1, epoch: step.epoch, tracker: &tracker)
      }
    }
    try optimizer.zeroGrad()
    if config.restoreBestAtEnd, let snapshot = tracker.snapshot { try restore(snapshot) }
    model.eval()

    let result = FinetuneResult(
      steps: plan.steps.count, evaluations: tracker.evaluations, best: tracker.best,
      bestCheckpoint: tracker.checkpoint, losses: losses)
    emit(.finished(result))
    return result
  }

  /// Runs forward and backward over the micro-batches of one update, each micro-batch loss divided by their
  /// number, and returns the mean of the micro-batch losses.
  private func accumulateGradients(_ step: TrainingPlan.Step, features: [TaskFeature], optimizer: AdamW) throws
    -> Double
  {
    try optimizer.zeroGrad()
    let share = 1 / Double(step.microBatches.count)
    var total = 0.0
    for micro in step.microBatches {
      let batch = try collate(micro.map { features[$0] })
      let (loss, _) = try run(batch)
      guard let loss else {
        throw FinetuneError.mixedTargets("a training batch produced no loss; every training feature needs a target")
      }
      try (loss * share).backward()
      total += try loss.item() * share
    }
    return total
  }

  private func isEvaluationDue(after index: Int, plan: TrainingPlan) -> Bool {
    let isLast = index + 1 == plan.steps.count
    if config.evalEvery > 0 { return (index + 1) % config.evalEvery == 0 || isLast }
    return isLast || plan.steps[index + 1].epoch != plan.steps[index].epoch
  }

  private func evaluateAndKeepBest(
    _ features: [TaskFeature], _ examples: [Task.Example], step: Int, epoch: Int, tracker: inout BestTracker
  ) throws {
    let clock = ContinuousClock()
    let started = clock.now
    let (metrics, _) = try evaluate(features: features, examples: examples)
    let isBest = metrics.isBetter(than: tracker.best?.metrics)
    let record = FinetuneEvaluationRecord(
      step: step, epoch: epoch, metrics: metrics, isBest: isBest, seconds: seconds(clock.now - started))
    tracker.evaluations.append(record)
    emit(.evaluated(record))
    guard isBest else { return }
    tracker.best = record
    tracker.snapshot = try snapshot()
    if let path = try saveBestCheckpoint(record) {
      tracker.checkpoint = path
      emit(.checkpointSaved(path: path, step: step))
    }
  }

  // MARK: - Running the model

  /// Runs the task's forward pass, under bfloat16 autocast when configured.
  func run(_ batch: TaskBatch) throws -> (loss: Tensor?, outputs: Tensor) {
    switch config.precision {
    case .float32: try task.forward(model, batch: batch)
    case .bfloat16: try withAutocast(device: config.device, dtype: .bfloat16) { try task.forward(model, batch: batch) }
    }
  }

  func collate(_ features: [TaskFeature]) throws -> TaskBatch {
    try TaskBatch.collate(
      features, padID: tokenizer.padTokenID, clsID: tokenizer.clsTokenID, sepID: tokenizer.sepTokenID,
      byChoices: task.batchesByChoices, device: config.device)
  }

  /// Moves the model to the configured device when it is elsewhere.
  private func prepareDevice() throws {
    try Runtime.validate(config.device)
    if let first = model.namedParameters().first?.1, first.value.device != config.device {
      try model.convert(device: config.device)
    }
  }
}

/// Evaluations so far and the best one's weights and checkpoint.
struct BestTracker {
  var evaluations: [FinetuneEvaluationRecord] = []
  var best: FinetuneEvaluationRecord?
  var snapshot: [(Parameter, Tensor)]?
  var checkpoint: String?
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
