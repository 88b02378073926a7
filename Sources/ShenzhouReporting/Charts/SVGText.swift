/// Text and number encoding for SVG output.
enum SVGText {
  /// Returns `text` escaped for XML character data and attribute values. Characters that
  /// XML 1.0 does not allow (control characters other than tab, newline and carriage return,
  /// U+FFFE and U+FFFF) are dropped, and tab, newline and carriage return become spaces so
  /// that a label stays on one line.
  static func escaped(_ text: String) -> String {
    var output = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": output.append(contentsOf: "&amp;".unicodeScalars)
      case "<": output.append(contentsOf: "&lt;".unicodeScalars)
      case ">": output.append(contentsOf: "&gt;".unicodeScalars)
      case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
      case "'": output.append(contentsOf: "&apos;".unicodeScalars)
      case "\t", "\n", "\r": output.append(" ")
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
        output.append(scalar)
      }
    }
    return String(output)
  }

  /// Returns `value` rounded to hundredths with trailing zeros removed, the precision of
  /// chart coordinates in pixels. Values are clamped to ±10,000,000.
  static func number(_ value: Double) -> String {
    let clamped = value.isNaN ? 0 : Swift.min(Swift.max(value, -1e7), 1e7)
    let hundredths = Int((clamped * 100).rounded())
    let magnitude = hundredths.magnitude
    var text = hundredths < 0 ? "-" : ""
    text += String(magnitude / 100)
    let fraction = magnitude % 100
    if fraction != 0 {
      text += fraction % 10 == 0 ? ".\(fraction / 10)" : (fraction < 10 ? ".0\(fraction)" : ".\(fraction)")
    }
    return text
  }

  /// Returns an estimate of the width of `text` in pixels at `fontSize`, for layout without
  /// font metrics: 0.6 em per narrow character and 1 em per wide East Asian character.
  static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
    var ems = 0.0
    for scalar in text.unicodeScalars {
      ems += isWide(scalar) ? 1.0 : 0.6
    }
    return ems * fontSize
  }

  /// Returns `text` shortened with a trailing ellipsis so that its estimated width fits in
  /// `maximumWidth` pixels.
  static func truncated(_ text: String, toWidth maximumWidth: Double, fontSize: Double) -> String {
    if estimatedWidth(text, fontSize: fontSize) <= maximumWidth { return text }
    var prefix = String.UnicodeScalarView()
    var width = 0.6 * fontSize
    for scalar in text.unicodeScalars {
      width += (isWide(scalar) ? 1.0 : 0.6) * fontSize
      if width > maximumWidth { break }
      prefix.append(scalar)
    }
    return String(prefix) + "…"
  }

  private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
      0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
      return true
    default:
      return false
    }
  }
}
