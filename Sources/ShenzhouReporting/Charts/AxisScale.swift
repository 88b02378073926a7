#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A chart axis: the data interval it shows, where its ticks sit and how they are labeled.
///
/// Linear axes use "nice" tick steps of 1, 2 or 5 times a power of ten and widen the
/// interval to whole steps. Logarithmic axes put ticks on powers of ten, adding 2 and 5
/// times those when the data spans three decades or fewer (and 3 times those within one
/// decade), and skipping decades when it spans more than ten.
struct AxisScale: Equatable {
  enum Kind: Equatable {
    case linear
    case logarithmic
  }

  let kind: Kind
  let lower: Double
  let upper: Double
  let ticks: [Double]
  /// The distance between linear ticks; unused by logarithmic axes.
  let tickStep: Double

  /// Returns where `value` falls on the axis, 0 at `lower` and 1 at `upper`. The result is
  /// outside [0, 1] for values outside the interval and NaN for non-positive values on a
  /// logarithmic axis.
  func fraction(of value: Double) -> Double {
    switch kind {
    case .linear:
      // Halving first keeps the width finite for intervals near ±Double.greatestFiniteMagnitude.
      return (value / 2 - lower / 2) / (upper / 2 - lower / 2)
    case .logarithmic:
      guard value > 0 else { return .nan }
      return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
    }
  }

  // MARK: - Linear

  /// Returns a linear axis that contains `minimum...maximum` (finite values) with about
  /// `targetTickCount` ticks no closer than `minimumStep`. An empty or nearly empty interval
  /// is widened around its value.
  static func linear(
    minimum: Double, maximum: Double, targetTickCount: Int = 6, minimumStep: Double = 0
  ) -> AxisScale {
    var low = Swift.min(minimum, maximum)
    var high = Swift.max(minimum, maximum)
    let magnitude = Swift.max(Swift.abs(low), Swift.abs(high))
    if high / 2 - low / 2 <= magnitude * 1e-12 {
      let padding = magnitude == 0 ? 1 : magnitude * 0.1
      low -= padding
      high += padding
    }

    let intervals = Double(Swift.max(targetTickCount - 1, 1))
    let step = Swift.max(niceStep(high / intervals - low / intervals), minimumStep)
    var lower = (low / step).rounded(.down) * step
    var upper = (high / step).rounded(.up) * step
    if !lower.isFinite { lower = low }
    if !upper.isFinite { upper = high }

    var ticks: [Double] = []
    var index = (lower / step - 1e-9).rounded(.up)
    let lastIndex = (upper / step + 1e-9).rounded(.down)
    while index <= lastIndex && ticks.count < 50 {
      ticks.append(index == 0 ? 0 : index * step)
      index += 1
    }
    return AxisScale(kind: .linear, lower: lower, upper: upper, ticks: ticks, tickStep: step)
  }

  /// Returns 1, 2, 5 or 10 times a power of ten, the smallest such value not below `rough`.
  static func niceStep(_ rough: Double) -> Double {
    guard rough > 0, rough.isFinite else { return 1 }
    let exponent = Int(log10(rough).rounded(.down))
    let power = NumberText.exp10(exponent)
    let fraction = rough / power
    for multiplier in [1.0, 2.0, 5.0] where fraction <= multiplier {
      return multiplier * power
    }
    return 10 * power
  }

  // MARK: - Logarithmic

  /// Returns a logarithmic axis that contains `minimum...maximum`, both positive and finite.
  /// The interval ends on 1, 2 or 5 times a power of ten.
  static func logarithmic(minimum: Double, maximum: Double) -> AxisScale {
    let low = Swift.min(minimum, maximum)
    let high = Swift.max(minimum, maximum)
    var lower = niceLogBound(low, roundingUp: false)
    var upper = niceLogBound(high, roundingUp: true)
    if lower >= upper {
      lower = niceLogBound(low / 2, roundingUp: false)
      upper = niceLogBound(high * 2, roundingUp: true)
    }

    let lowestDecade = Int(log10(lower).rounded(.down))
    let highestDecade = Int(log10(upper).rounded(.up))
    let decadeCount = highestDecade - lowestDecade
    let multipliers: [Double] = decadeCount <= 1 ? [1, 2, 3, 5] : decadeCount <= 3 ? [1, 2, 5] : [1]
    let decadeStride = Swift.max(1, (decadeCount + 9) / 10)

    var ticks: [Double] = []
    for decade in Swift.stride(from: lowestDecade, through: highestDecade, by: decadeStride) {
      for multiplier in multipliers {
        let tick = multiplier * NumberText.exp10(decade)
        if tick >= lower * (1 - 1e-12) && tick <= upper * (1 + 1e-12) { ticks.append(tick) }
      }
    }
    return AxisScale(kind: .logarithmic, lower: lower, upper: upper, ticks: ticks, tickStep: 0)
  }

  /// Returns the largest (or, when `roundingUp`, smallest) value of the form 1, 2 or 5
  /// times a power of ten that is not above (not below) `value`. Values below the smallest
  /// normal double are treated as that value.
  private static func niceLogBound(_ value: Double, roundingUp: Bool) -> Double {
    let clamped = Swift.min(Swift.max(value, Double.leastNormalMagnitude), Double.greatestFiniteMagnitude)
    let exponent = Swift.min(Swift.max(Int(log10(clamped).rounded(.down)), -307), 308)
    let candidates = [-1, 0, 1].flatMap { offset in
      [1.0, 2.0, 5.0].map { $0 * NumberText.exp10(exponent + offset) }
    }.filter { $0.isFinite && $0 > 0 }
    if roundingUp {
      return candidates.filter { $0 >= clamped * (1 - 1e-12) }.min() ?? clamped
    }
    return candidates.filter { $0 <= clamped * (1 + 1e-12) }.max() ?? clamped
  }
}
