import Foundation

/// Lines of standard input as raw bytes, split at `\n` only.
///
/// Reads in 64 KiB chunks. `beforeBlockingRead` runs before each read that may wait for input,
/// which lets a caller flush its output so that an interactive user sees each answer at once.
struct StandardInputLines {
  private var buffer: [UInt8] = []
  private var lineStart = 0
  private var reachedEnd = false
  private let chunkSize = 1 << 16

  /// Returns the next line without its `\n`, or nil at the end of input. The final line is
  /// returned even when it has no `\n`, unless it is empty.
  mutating func next(beforeBlockingRead: () -> Void) throws -> ArraySlice<UInt8>? {
    var searchFrom = lineStart
    while true {
      if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
        let line = buffer[lineStart..<newline]
        lineStart = newline + 1
        return line
      }
      if reachedEnd {
        guard lineStart < buffer.count else { return nil }
        let line = buffer[lineStart...]
        lineStart = buffer.count
        return line
      }
      buffer.removeFirst(lineStart)
      lineStart = 0
      searchFrom = buffer.count
      beforeBlockingRead()
      try readChunk()
    }
  }

  private mutating func readChunk() throws {
    let oldCount = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: chunkSize))
    while true {
      let count = buffer.withUnsafeMutableBytes { bytes in
        read(STDIN_FILENO, bytes.baseAddress! + oldCount, chunkSize)
      }
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else {
        buffer.removeLast(chunkSize)
        throw StandardInputError(message: "reading standard input failed: \(String(cString: strerror(errno)))")
      }
      buffer.removeLast(chunkSize - count)
      if count == 0 { reachedEnd = true }
      return
    }
  }
}

struct StandardInputError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
