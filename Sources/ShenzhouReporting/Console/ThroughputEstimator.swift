/// Estimates time per step, tokens per second and the time remaining from the progress of a
/// training loop. The estimates are smoothed with an exponential moving average (EMA), so one
/// slow step (a checkpoint save, an evaluation) moves them only a little.
///
/// It keeps EMAs of the elapsed time, the steps and the tokens of each interval between two
/// calls of `record`, and reports their ratios. Ratios of averages weigh each interval by its
/// length, so calls at irregular intervals give the same rates as regular ones.
public struct ThroughputEstimator: Sendable {
  /// The weight of the history in each EMA update, from 0 (no smoothing) to below 1.
  public let smoothing: Double

  private var lastStep: Int?
  private var lastTime = 0.0
  private var averageSeconds = 0.0
  private var averageSteps = 0.0
  private var averageTokens = 0.0
  private var sampleCount = 0

  /// - Parameter smoothing: clamped to 0...0.999.
  public init(smoothing: Double = 0.9) {
    self.smoothing = min(max(smoothing, 0), 0.999)
  }

  /// Records that the loop reached `step` at `time` and processed `tokens` tokens since the
  /// previous call. The first call only sets the starting point, so its tokens are not
  /// counted. When the step does not advance or the time does not increase, as after a
  /// restart from an earlier checkpoint, this call only becomes the new starting point and
  /// the averages are kept.
  ///
  /// - Parameter time: seconds on a monotonic clock, from any origin.
  public mutating func record(step: Int, tokens: Int = 0, time: Double) {
    defer {
      lastStep = step
      lastTime = time
    }
    guard let lastStep, step > lastStep, time > lastTime else { return }

    let seconds = time - lastTime
    let steps = Double(step - lastStep)
    let tokenCount = Double(max(tokens, 0))
    if sampleCount == 0 {
      averageSeconds = seconds
      averageSteps = steps
      averageTokens = tokenCount
    } else {
      averageSeconds = smoothing * averageSeconds + (1 - smoothing) * seconds
      averageSteps = smoothing * averageSteps + (1 - smoothing) * steps
      averageTokens = smoothing * averageTokens + (1 - smoothing) * tokenCount
    }
    sampleCount += 1
  }

  /// The smoothed seconds per step, or nil before two calls of `record` with increasing
  /// steps.
  public var secondsPerStep: Double? {
    sampleCount > 0 ? averageSeconds / averageSteps : nil
  }

  /// The smoothed tokens per second, or nil before two calls of `record` with increasing
  /// steps.
  public var tokensPerSecond: Double? {
    sampleCount > 0 ? averageTokens / averageSeconds : nil
  }

  /// Returns the estimated seconds until `totalSteps` from the smoothed time per step. The
  /// result is 0 once the last recorded step has reached it, and nil while there is no
  /// estimate.
  public func secondsRemaining(untilStep totalSteps: Int) -> Double? {
    guard let lastStep, let secondsPerStep else { return nil }
    return Double(max(totalSteps - lastStep, 0)) * secondsPerStep
  }
}
