import Foundation

/// A learning rate as a function of the optimizer step, computing what the Hugging Face transformers schedules
/// compute (`get_constant_schedule_with_warmup`, `get_linear_schedule_with_warmup`,
/// `get_cosine_schedule_with_warmup` and `get_cosine_with_min_lr_schedule_with_warmup` with `min_lr_rate`).
///
/// `lr(step:)` is the rate for the update with 0-based index `step`, which is what those schedules give when
/// `scheduler.step()` follows each `optimizer.step()`. With warmup, the first update therefore uses rate 0.
public struct LRSchedule: Codable, Sendable, Equatable {
  /// The shape of the curve after warmup.
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// Stays at the peak rate.
    case constant
    /// Falls linearly to 0 at `totalSteps` and stays there.
    case linear
    /// Follows a cosine from the peak down to `minLRRatio` × peak over `cycles` periods.
    case cosine
  }

  public let kind: Kind
  /// The rate reached at the end of warmup, as torch's `lr`.
  public let peakLR: Double
  /// Updates over which the rate rises linearly from 0 to the peak.
  public let warmupSteps: Int
  /// The update count at which a linear schedule reaches 0 and a cosine one ends its decay; ignored by `constant`.
  public let totalSteps: Int
  /// Floor of the cosine decay as a fraction of the peak (transformers' `min_lr_rate`); 0 for the other kinds.
  public let minLRRatio: Double
  /// Number of cosine periods over the decay (transformers' `num_cycles`); the default 0.5 is one half-wave.
  public let cycles: Double

  // MARK: - Creating schedules

  /// Creates a schedule with a constant rate after `warmupSteps` of linear warmup.
  public static func constant(peakLR: Double, warmupSteps: Int = 0) throws -> LRSchedule {
    try LRSchedule(
      kind: .constant, peakLR: peakLR, warmupSteps: warmupSteps, totalSteps: 0, minLRRatio: 0, cycles: 0.5)
  }

  /// Creates a schedule with linear warmup to `peakLR`, then linear decay to 0 at `totalSteps`.
  public static func linear(peakLR: Double, warmupSteps: Int, totalSteps: Int) throws -> LRSchedule {
    try LRSchedule(
      kind: .linear, peakLR: peakLR, warmupSteps: warmupSteps, totalSteps: totalSteps, minLRRatio: 0,
      cycles: 0.5)
  }

  /// Creates a schedule with linear warmup to `peakLR`, then cosine decay to `minLRRatio` × `peakLR` at
  /// `totalSteps`.
  ///
  /// As in transformers, the curve keeps following the cosine after `totalSteps`, so with the default half
  /// cycle the rate rises again past the end: set `totalSteps` to the real number of updates.
  public static func cosine(
    peakLR: Double, warmupSteps: Int, totalSteps: Int, minLRRatio: Double = 0, cycles: Double = 0.5
  ) throws -> LRSchedule {
    try LRSchedule(
      kind: .cosine, peakLR: peakLR, warmupSteps: warmupSteps, totalSteps: totalSteps, minLRRatio: minLRRatio,
      cycles: cycles)
  }

  /// Throws `OptimizerError` naming the invalid field: rates must be finite and >= 0, step counts >= 0,
  /// `minLRRatio` in [0, 1], and `cycles` finite and > 0.
  public init(kind: Kind, peakLR: Double, warmupSteps: Int, totalSteps: Int, minLRRatio: Double, cycles: Double)
    throws
  {
    try OptimizerError.requireNonNegative(peakLR, "peak_lr")
    guard warmupSteps >= 0 else {
      throw OptimizerError(field: "warmup_steps", message: "invalid value \(warmupSteps); expected >= 0")
    }
    guard totalSteps >= 0 else {
      throw OptimizerError(field: "total_steps", message: "invalid value \(totalSteps); expected >= 0")
    }
    guard minLRRatio.isFinite, minLRRatio >= 0, minLRRatio <= 1 else {
      throw OptimizerError(field: "min_lr_ratio", message: "invalid value \(minLRRatio); expected a number in [0, 1]")
    }
    guard cycles.isFinite, cycles > 0 else {
      throw OptimizerError(field: "cycles", message: "invalid value \(cycles); expected a finite number > 0")
    }
    self.kind = kind
    self.peakLR = peakLR
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
    self.minLRRatio = minLRRatio
    self.cycles = cycles
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      kind: try container.decode(Kind.self, forKey: .kind),
      peakLR: try container.decode(Double.self, forKey: .peakLR),
      warmupSteps: try container.decode(Int.self, forKey: .warmupSteps),
      totalSteps: try container.decodeIfPresent(Int.self, forKey: .totalSteps) ?? 0,
      minLRRatio: try container.decodeIfPresent(Double.self, forKey: .minLRRatio) ?? 0,
      cycles: try container.decodeIfPresent(Double.self, forKey: .cycles) ?? 0.5)
  }

  // MARK: - Evaluating

  /// Returns the learning rate of the update with 0-based index `step`.
  public func lr(step: Int) -> Double {
    peakLR * multiplier(step: step)
  }

  /// Returns the fraction of `peakLR` at `step`. The floating-point operations run in the same order as in
  /// transformers, so the values agree to the last bit on the same libm.
  public func multiplier(step: Int) -> Double {
    if step < warmupSteps {
      return Double(step) / Double(Swift.max(1, warmupSteps))
    }
    let decaySteps = Double(Swift.max(1, totalSteps - warmupSteps))
    switch kind {
    case .constant:
      return 1
    case .linear:
      return Swift.max(0, Double(totalSteps - step) / decaySteps)
    case .cosine:
      let progress = Double(step - warmupSteps) / decaySteps
      let wave = 0.5 * (1 + Foundation.cos(Double.pi * cycles * 2 * progress))
      return Swift.max(0, wave * (1 - minLRRatio) + minLRRatio)
    }
  }
}
