/// Character classes that decide how jieba 0.42.1 splits text before and around the dictionary
/// and HMM steps. Each one mirrors a regular expression of jieba's default mode.
enum SegmenterScalarClass {
  /// Han ideographs U+4E00...U+9FD5, the only characters the HMM tags.
  @inline(__always)
  static func isHan(_ scalar: UInt32) -> Bool {
    scalar &- 0x4E00 <= 0x9FD5 - 0x4E00
  }

  /// Characters of a dictionary block: Han U+4E00...U+9FD5, ASCII letters and digits, and
  /// `+ # & . _ % -`. Runs of other characters never reach the dictionary.
  @inline(__always)
  static func isBlockScalar(_ scalar: UInt32) -> Bool {
    if scalar < 0x80 { return asciiBlockTable[Int(scalar)] }
    return isHan(scalar)
  }

  @inline(__always)
  static func isASCIIAlphanumeric(_ scalar: UInt32) -> Bool {
    isASCIIDigit(scalar) || (scalar | 0x20) &- 0x61 < 26
  }

  @inline(__always)
  static func isASCIIDigit(_ scalar: UInt32) -> Bool {
    scalar &- 0x30 < 10
  }

  /// Whitespace as Python's `str.isspace` defines it (the `\s` class of jieba's patterns).
  static func isWhitespace(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
      0x205F, 0x3000:
      return true
    default:
      return false
    }
  }

  private static let asciiBlockTable: [Bool] = (0..<128).map { code in
    let scalar = UInt32(code)
    if isASCIIAlphanumeric(scalar) { return true }
    return "+#&._%-".unicodeScalars.contains { $0.value == scalar }
  }
}
