#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Line reader

/// One line's position in its file.
struct LineLocation: Sendable, Equatable {
  /// 1-based line number.
  var lineNumber: Int
  /// Byte offset of the line's first byte in the (decompressed) file.
  var byteOffset: Int64
}

/// Splits a byte source into lines ending at LF, with a trailing CR removed and a leading UTF-8 byte
/// order mark dropped from the first line.
///
/// Memory is one read block plus the longest line, because a line is handed out whole.
final class LineReader {
  private let source: any CorpusByteSource
  private var buffer: UnsafeMutableRawBufferPointer
  private var bufferStart = 0
  private var bufferEnd = 0
  private var reachedEnd = false
  private var nextLineNumber = 1
  private var nextLineOffset: Int64 = 0
  private var atFileStart = true

  init(source: any CorpusByteSource, blockSize: Int = 1 << 20) {
    self.source = source
    buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(blockSize, 16), alignment: 16)
  }

  deinit {
    buffer.deallocate()
  }

  /// Appends the next line's bytes to `output` and returns its location, or nil at the end of the
  /// file. The line terminator is not appended.
  func appendNextLine(to output: inout [UInt8]) throws(PreparationError) -> LineLocation? {
    var location = LineLocation(lineNumber: nextLineNumber, byteOffset: nextLineOffset)
    let outputStart = output.count
    var consumed: Int64 = 0
    var sawAnyByte = false
    while true {
      if bufferStart == bufferEnd {
        if reachedEnd { break }
        try refill()
        if bufferStart == bufferEnd { break }
      }
      sawAnyByte = true
      let available = UnsafeRawBufferPointer(rebasing: buffer[bufferStart..<bufferEnd])
      if let start = available.baseAddress, let newline = memchr(start, 0x0a, available.count) {
        let length = UnsafeRawPointer(newline) - start
        output.append(contentsOf: available[0..<length])
        bufferStart += length + 1
        consumed += Int64(length + 1)
        if finishLine(output: &output, from: outputStart, consumed: consumed) { location.byteOffset += 3 }
        return location
      }
      output.append(contentsOf: available)
      consumed += Int64(available.count)
      bufferStart = bufferEnd
    }
    guard sawAnyByte else { return nil }
    if finishLine(output: &output, from: outputStart, consumed: consumed) { location.byteOffset += 3 }
    return location
  }

  /// Bytes of the line stream handed out so far, terminators included (decompressed for gzip input).
  var streamBytesConsumed: Int64 { nextLineOffset }

  /// Bytes of the file on disk consumed so far (compressed bytes for gzip input).
  var fileBytesConsumed: Int64 { source.fileBytesConsumed }

  /// Strips the line's CR and, on the first line, a byte order mark. Returns whether a BOM was removed.
  private func finishLine(output: inout [UInt8], from start: Int, consumed: Int64) -> Bool {
    var removedByteOrderMark = false
    if output.count > start, output[output.count - 1] == 0x0d {
      output.removeLast()
    }
    if atFileStart {
      atFileStart = false
      if output.count - start >= 3, output[start] == 0xef, output[start + 1] == 0xbb, output[start + 2] == 0xbf {
        output.removeSubrange(start..<(start + 3))
        removedByteOrderMark = true
      }
    }
    nextLineNumber += 1
    nextLineOffset += consumed
    return removedByteOrderMark
  }

  private func refill() throws(PreparationError) {
    bufferStart = 0
    bufferEnd = 0
    let count = try source.read(into: buffer)
    if count == 0 {
      reachedEnd = true
    } else {
      bufferEnd = count
    }
  }
}
