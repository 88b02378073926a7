#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Number formatting for console lines and chart labels, independent of the locale and
/// without Foundation. Non-finite values print as `nan`, `inf` and `-inf`.
enum NumberText {
  private static let powersOfTen: [Double] = (0...17).map { exponent in
    (0..<exponent).reduce(1.0) { product, _ in product * 10 }
  }

  /// Returns `value` with exactly `decimals` digits after the point (0 to 15), rounded half
  /// away from zero. Values whose digits do not fit in 15 significant digits fall back to
  /// ``scientific(_:decimals:)``.
  static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let decimals = min(max(decimals, 0), 15)
    let scale = powersOfTen[decimals]
    let scaled = (Swift.abs(value) * scale).rounded()
    guard scaled < 1e15 else { return scientific(value, decimals: 3) }

    let units = UInt64(scaled)
    let divisor = UInt64(scale)
    var text = value < 0 && units != 0 ? "-" : ""
    text += String(units / divisor)
    if decimals > 0 {
      let fraction = String(units % divisor)
      text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return text
  }

  /// Returns `value` as a mantissa with `decimals` digits after the point and a signed
  /// exponent of at least two digits, as C's `%.*e` does: `1.50e-04`.
  static func scientific(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let decimals = min(max(decimals, 0), 15)
    let (mantissa, exponent) = decompose(Swift.abs(value), decimals: decimals)
    let sign = value < 0 ? "-" : ""
    let exponentDigits = String(Swift.abs(exponent))
    let exponentText =
      (exponent < 0 ? "-" : "+") + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
    return sign + fixed(mantissa, decimals: decimals) + "e" + exponentText
  }

  /// Returns `value` with three significant digits and an SI suffix from k to E:
  /// `950`, `12.3k`, `4.56M`. Values below 1000 keep up to two decimals.
  static func compact(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let suffixes = ["", "k", "M", "G", "T", "P", "E"]
    var magnitude = Swift.abs(value)
    var index = 0
    while magnitude >= 999.5 && index < suffixes.count - 1 {
      magnitude /= 1000
      index += 1
    }
    var decimals = 2
    if magnitude >= 99.95 {
      decimals = 0
    } else if magnitude >= 9.995 {
      decimals = 1
    }
    return (value < 0 ? "-" : "") + fixed(magnitude, decimals: decimals) + suffixes[index]
  }

  /// Returns `value` as a mantissa with at most `decimals` digits, trailing zeros removed,
  /// and an unpadded exponent: `2.5e-5`, `1e6`.
  static func shortScientific(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return nonFinite(value) }
    if value == 0 { return "0" }
    let decimals = min(max(decimals, 0), 15)
    let (mantissa, exponent) = decompose(Swift.abs(value), decimals: decimals)
    return (value < 0 ? "-" : "") + trimmed(mantissa, maxDecimals: decimals) + "e\(exponent)"
  }

  /// Returns the shortest of `fixed(value, maxDecimals)` with trailing zeros and a trailing
  /// point removed: `0.5`, `2`, `0.125`.
  static func trimmed(_ value: Double, maxDecimals: Int) -> String {
    var text = fixed(value, decimals: maxDecimals)
    guard text.contains("."), !text.contains("e") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
  }

  /// Returns `text` padded with spaces on the left to `width` characters. Longer text is
  /// returned unchanged.
  static func padLeft(_ text: String, to width: Int) -> String {
    let count = text.count
    return count >= width ? text : String(repeating: " ", count: width - count) + text
  }

  /// Returns `text` padded with spaces on the right to `width` characters.
  static func padRight(_ text: String, to width: Int) -> String {
    let count = text.count
    return count >= width ? text : text + String(repeating: " ", count: width - count)
  }

  // MARK: - Helpers

  /// Splits a positive finite `magnitude` into a mantissa in [1, 10), already rounded to
  /// `decimals`, and a base-10 exponent.
  static func decompose(_ magnitude: Double, decimals: Int) -> (mantissa: Double, exponent: Int) {
    guard magnitude > 0 else { return (0, 0) }
    var exponent = Int(log10(magnitude).rounded(.down))
    var mantissa = scaleByPowerOfTen(magnitude, -exponent)
    if mantissa >= 10 {
      mantissa /= 10
      exponent += 1
    } else if mantissa < 1 {
      mantissa *= 10
      exponent -= 1
    }
    let scale = powersOfTen[decimals]
    mantissa = (mantissa * scale).rounded() / scale
    if mantissa >= 10 {
      mantissa /= 10
      exponent += 1
    }
    return (mantissa, exponent)
  }

  /// Returns `value * 10^exponent`, in two steps when 10^exponent alone is out of range.
  static func scaleByPowerOfTen(_ value: Double, _ exponent: Int) -> Double {
    if exponent > 300 { return value * exp10(300) * exp10(exponent - 300) }
    if exponent < -300 { return value * exp10(-300) * exp10(exponent + 300) }
    return value * exp10(exponent)
  }

  /// Returns 10^exponent for exponents from -323 to 308.
  static func exp10(_ exponent: Int) -> Double {
    if exponent >= 0 && exponent < powersOfTen.count { return powersOfTen[exponent] }
    return pow(10.0, Double(exponent))
  }

  private static func nonFinite(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    return value < 0 ? "-inf" : "inf"
  }
}
