/// One optimizer update as `Finetuner` reports it.
public struct FinetuneStepRecord: Sendable, Equatable {
  /// Updates done so far, counting this one.
  public var step: Int
  public var totalSteps: Int
  /// Epoch of the update, counting from 1.
  public var epoch: Int
  /// Mean training loss of the update's features (the micro-batch means, averaged).
  public var loss: Double
  public var learningRate: Double
  /// Global gradient norm before clipping.
  public var gradNorm: Double
  /// Training features in this update.
  public var examples: Int
  /// Wall time of this update: forward, backward and optimizer step.
  public var seconds: Double
  /// `examples / seconds`.
  public var examplesPerSecond: Double
  /// Seconds since training started.
  public var elapsedSeconds: Double
}

/// One evaluation on the dev set.
public struct FinetuneEvaluationRecord: Sendable, Equatable {
  /// Updates done when the evaluation ran.
  public var step: Int
  public var epoch: Int
  public var metrics: EvaluationMetrics
  /// Whether this evaluation is the best so far, which saves a checkpoint.
  public var isBest: Bool
  /// Seconds the evaluation took.
  public var seconds: Double
}

/// What a fine-tuning run produced.
public struct FinetuneResult: Sendable {
  /// Updates done.
  public var steps: Int
  /// Every dev evaluation in order.
  public var evaluations: [FinetuneEvaluationRecord]
  /// The best evaluation; nil without a dev set.
  public var best: FinetuneEvaluationRecord?
  /// The Hugging Face model directory of the best checkpoint; nil without `outputDirectory` or a dev set.
  public var bestCheckpoint: String?
  /// The training loss of every update.
  public var losses: [Double]
}

/// Progress of a run; the library reports through these events and never prints.
public enum FinetuneEvent: Sendable {
  case started(trainExamples: Int, trainFeatures: Int, devExamples: Int, totalSteps: Int, warmupSteps: Int,
    parameters: Int)
  case step(FinetuneStepRecord)
  case evaluated(FinetuneEvaluationRecord)
  case checkpointSaved(path: String, step: Int)
  case finished(FinetuneResult)
}
