/// Encoders for the JSON pieces of a metrics line, working on UTF-8 bytes.
enum JSONText {
  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends `text` as a JSON string literal. It escapes `"`, `\` and the control characters
  /// U+0000 to U+001F and copies every other character as UTF-8.
  static func appendString(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
      case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
      case 0x00..<0x20:
        output.append(contentsOf: "\\u00".utf8)
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
      default:
        output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }

  /// Appends `value` as a JSON number in the shortest form that reads back as the same
  /// `Double`, or `null` when it is NaN or infinite, which JSON cannot represent.
  ///
  /// - Returns: false when it wrote `null`.
  @discardableResult
  static func appendNumber(_ value: Double, to output: inout [UInt8]) -> Bool {
    guard value.isFinite else {
      output.append(contentsOf: "null".utf8)
      return false
    }
    // Swift's description of a finite Double ("0.5", "1e-05", "-0.0", "1e+16") is always a
    // valid JSON number.
    output.append(contentsOf: value.description.utf8)
    return true
  }

  static func appendInteger(_ value: Int, to output: inout [UInt8]) {
    output.append(contentsOf: String(value).utf8)
  }
}
