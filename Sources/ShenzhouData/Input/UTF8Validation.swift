// MARK: - UTF-8 validation

/// Strict UTF-8 validation (RFC 3629): rejects overlong forms, surrogates, code points above
/// U+10FFFF, and truncated sequences.
enum UTF8Validation {
  /// Returns the offset of the first byte that starts an invalid or truncated sequence, or nil when
  /// every byte is valid UTF-8.
  static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
    let count = bytes.count
    var index = 0
    while index < count {
      if index + 8 <= count {
        let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 == 0 {
          index += 8
          continue
        }
      }
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length: Int
      var lowerBound: UInt8 = 0x80
      var upperBound: UInt8 = 0xbf
      switch lead {
      case 0xc2...0xdf:
        length = 2
      case 0xe0:
        length = 3
        lowerBound = 0xa0
      case 0xe1...0xec, 0xee...0xef:
        length = 3
      case 0xed:
        length = 3
        upperBound = 0x9f
      case 0xf0:
        length = 4
        lowerBound = 0x90
      case 0xf1...0xf3:
        length = 4
      case 0xf4:
        length = 4
        upperBound = 0x8f
      default:
        return index
      }
      guard index + length <= count else { return index }
      let second = bytes[index + 1]
      guard second >= lowerBound, second <= upperBound else { return index }
      var continuation = index + 2
      while continuation < index + length {
        guard bytes[continuation] & 0xc0 == 0x80 else { return index }
        continuation += 1
      }
      index += length
    }
    return nil
  }
}
