#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension AxisScale {
  /// Returns one label per tick, with as many digits as it takes to tell neighboring ticks
  /// apart. Large values use SI suffixes (`200k`, `1.5M`), and values at or above 1e15 or
  /// below 1e-4 use exponents (`2.5e-5`).
  func tickLabels() -> [String] {
    switch kind {
    case .linear: return ticks.map(linearLabel)
    case .logarithmic: return ticks.map(Self.logarithmicLabel)
    }
  }

  private func linearLabel(_ tick: Double) -> String {
    if tick == 0 { return "0" }
    let largest = ticks.map { Swift.abs($0) }.max() ?? Swift.abs(tick)
    let stepExponent = Int(log10(tickStep).rounded(.down))

    if largest >= 1e15 || largest < 1e-4 {
      let largestExponent = Int(log10(largest).rounded(.down))
      let tickExponent = Int(log10(Swift.abs(tick)).rounded(.down))
      let decimals = Swift.min(Swift.max(Swift.max(tickExponent, largestExponent) - stepExponent, 0), 6)
      return NumberText.shortScientific(tick, decimals: decimals)
    }
    if largest >= 1e4 && stepExponent >= 0 {
      let group = Swift.max(Int(log10(Swift.abs(tick)).rounded(.down)) / 3, 0)
      let decimals = Swift.max(3 * group - stepExponent, 0)
      if group > 0 && decimals <= 2 {
        let suffixes = ["", "k", "M", "G", "T"]
        let scaled = tick / NumberText.exp10(3 * group)
        return NumberText.trimmed(scaled, maxDecimals: decimals) + suffixes[Swift.min(group, 4)]
      }
    }
    return NumberText.fixed(tick, decimals: Swift.max(-stepExponent, 0))
  }

  private static func logarithmicLabel(_ tick: Double) -> String {
    if tick >= 1e-3 && tick < 1e5 { return NumberText.trimmed(tick, maxDecimals: 4) }
    return NumberText.shortScientific(tick, decimals: 2)
  }
}
