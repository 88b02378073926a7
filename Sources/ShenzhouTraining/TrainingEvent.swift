/// One optimizer step as the trainer reports it.
public struct StepRecord: Sendable {
  public var step: Int
  public var loss: Double
  /// Loss per objective ("mlm", "rdrop_kl", "ema_kl", "layerwise").
  public var parts: [String: Double]
  public var learningRate: Double
  public var gradNorm: Double
  public var tokensPerSecond: Double
  public var millisecondsPerStep: Double
  public var skipped: Bool
  public var lossScale: Double
  public var elapsedSeconds: Double
}

/// Events the trainer reports to its caller, because the library never prints.
public enum TrainingEvent: Sendable {
  /// `timeLimitSeconds` is `run.max_minutes` in seconds, or nil without a time limit.
  case started(config: String, parameters: Int, startStep: Int, resumedFrom: String?, timeLimitSeconds: Double?)
  /// Sent after every step; `logged` marks the steps that `run.log_every` selects for the step log.
  case step(StepRecord, maxSteps: Int, logged: Bool)
  case checkpointSaved(path: String, step: Int)
  case finished(step: Int, exportedModel: String, reason: String)
}
