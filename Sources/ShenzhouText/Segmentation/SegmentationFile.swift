#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// File access and UTF-8 helpers shared by the segmentation readers.
enum SegmentationFile {
  // MARK: - Reading

  /// Reads the whole file at `path` as bytes.
  static func readBytes(path: String) throws(SegmentationError) -> [UInt8] {
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      return [UInt8](data)
    } catch {
      throw .unreadableFile(path: path, reason: "\(error)")
    }
  }

  /// Calls `body` with the 1-based number and the byte range of every line in `bytes`.
  ///
  /// Lines end at "\n"; the range excludes the "\n" but keeps a "\r" before it. A final line
  /// without "\n" is included; an empty file has no lines.
  static func forEachLine<E: Error>(
    in bytes: UnsafeBufferPointer<UInt8>,
    _ body: (_ lineNumber: Int, _ range: Range<Int>) throws(E) -> Void
  ) throws(E) {
    var lineStart = 0
    var lineNumber = 1
    var index = 0
    let count = bytes.count
    while index < count {
      if bytes[index] == 0x0A {
        try body(lineNumber, lineStart..<index)
        lineNumber += 1
        lineStart = index + 1
      }
      index += 1
    }
    if lineStart < count {
      try body(lineNumber, lineStart..<count)
    }
  }

  /// Returns `range` without leading and trailing ASCII whitespace (space, tab, LF, VT, FF, CR).
  static func trimASCIIWhitespace(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
    -> Range<Int>
  {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper && isASCIIWhitespace(bytes[lower]) { lower += 1 }
    while upper > lower && isASCIIWhitespace(bytes[upper - 1]) { upper -= 1 }
    return lower..<upper
  }

  static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
  }

  /// Returns `range` without a leading UTF-8 byte order mark.
  static func droppingByteOrderMark(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
    -> Range<Int>
  {
    if range.count >= 3 && bytes[range.lowerBound] == 0xEF
      && bytes[range.lowerBound + 1] == 0xBB && bytes[range.lowerBound + 2] == 0xBF
    {
      return (range.lowerBound + 3)..<range.upperBound
    }
    return range
  }

  // MARK: - UTF-8

  /// Decodes the UTF-8 bytes in `range` and appends their Unicode scalar values to `scalars`.
  ///
  /// Returns false, leaving `scalars` partly appended, when the bytes are not well-formed UTF-8
  /// (truncated or overlong sequences, surrogates, values above U+10FFFF).
  static func decodeUTF8(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into scalars: inout [UInt32]
  ) -> Bool {
    var index = range.lowerBound
    let end = range.upperBound
    while index < end {
      let lead = UInt32(bytes[index])
      if lead < 0x80 {
        scalars.append(lead)
        index += 1
        continue
      }
      let length: Int
      var value: UInt32
      let minimum: UInt32
      if lead & 0xE0 == 0xC0 {
        length = 2
        value = lead & 0x1F
        minimum = 0x80
      } else if lead & 0xF0 == 0xE0 {
        length = 3
        value = lead & 0x0F
        minimum = 0x800
      } else if lead & 0xF8 == 0xF0 {
        length = 4
        value = lead & 0x07
        minimum = 0x10000
      } else {
        return false
      }
      if index + length > end { return false }
      for offset in 1..<length {
        let byte = UInt32(bytes[index + offset])
        if byte & 0xC0 != 0x80 { return false }
        value = (value << 6) | (byte & 0x3F)
      }
      if value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) {
        return false
      }
      scalars.append(value)
      index += length
    }
    return true
  }

  /// Returns the string for UTF-8 `bytes` in `range`, or nil when they are not valid UTF-8.
  static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
    String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
