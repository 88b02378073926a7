#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Shard writer

/// Streams one shard to disk: token ids go straight to the file through a small buffer, while the
/// word-start bits and offset arrays, about a tenth of the token bytes, wait in memory until `finish()`.
final class ShardWriter {
  let path: String
  let tokenWidth: Int
  let vocabularySize: Int
  private var descriptor: Int32
  private var buffer: [UInt8] = []
  private let bufferLimit = 1 << 20
  private var wordStartBits: [UInt8] = []
  private var sentenceOffsets: [UInt64] = []
  private var documentOffsets: [UInt64] = []
  private(set) var tokenCount = 0
  private(set) var sentenceCount = 0
  private(set) var documentCount = 0

  /// Creates (or truncates) the file at `path` and reserves the header.
  init(path: String, tokenWidth: Int, vocabularySize: Int) throws(PreparationError) {
    self.path = path
    self.tokenWidth = tokenWidth
    self.vocabularySize = vocabularySize
    descriptor = systemOpen(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .outputFailed(path: path, reason: POSIXErrorText.describe(systemErrorNumber()))
    }
    buffer.reserveCapacity(bufferLimit + 4096)
    buffer.append(contentsOf: repeatElement(0, count: ShardFormat.headerSize))
  }

  deinit {
    if descriptor >= 0 { systemClose(descriptor) }
  }

  /// Starts a new document; the sentences appended next belong to it.
  func beginDocument() {
    documentOffsets.append(UInt64(sentenceCount))
    documentCount += 1
  }

  /// Appends one non-empty sentence to the current document.
  func appendSentence(tokens: ArraySlice<Int32>, wordStarts: ArraySlice<Bool>) throws(PreparationError) {
    precondition(documentCount > 0, "beginDocument() must come before the first sentence")
    precondition(!tokens.isEmpty && tokens.count == wordStarts.count)
    sentenceOffsets.append(UInt64(tokenCount))
    sentenceCount += 1
    if tokenWidth == 2 {
      for token in tokens {
        let value = UInt16(truncatingIfNeeded: token).littleEndian
        buffer.append(UInt8(truncatingIfNeeded: value))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
      }
    } else {
      for token in tokens {
        withUnsafeBytes(of: token.littleEndian) { buffer.append(contentsOf: $0) }
      }
    }
    for flag in wordStarts {
      let bit = tokenCount & 7
      if bit == 0 { wordStartBits.append(0) }
      if flag { wordStartBits[wordStartBits.count - 1] |= UInt8(1) << UInt8(bit) }
      tokenCount += 1
    }
    if buffer.count >= bufferLimit { try flush() }
  }

  /// Writes the remaining sections and the header, syncs and closes the file, and returns its size and
  /// SHA-256.
  func finish() throws(PreparationError) -> (bytes: Int, sha256: String) {
    let header = ShardHeader(
      tokenWidth: tokenWidth, tokenCount: tokenCount, sentenceCount: sentenceCount,
      documentCount: documentCount, vocabularySize: vocabularySize)

    try padTo(header.wordStartsOffset)
    buffer.append(contentsOf: wordStartBits)
    try padTo(header.sentenceOffsetsOffset)
    sentenceOffsets.append(UInt64(tokenCount))
    documentOffsets.append(UInt64(sentenceCount))
    for offsets in [sentenceOffsets, documentOffsets] {
      for offset in offsets {
        withUnsafeBytes(of: offset.littleEndian) { buffer.append(contentsOf: $0) }
        if buffer.count >= bufferLimit { try flush() }
      }
    }
    try flush()
    precondition(writtenBytes == header.fileLength, "shard layout and written bytes disagree")

    let headerBytes = header.encoded()
    let written = headerBytes.withUnsafeBytes {
      systemPositionedWrite(descriptor, $0.baseAddress, $0.count, 0)
    }
    guard written == headerBytes.count, fsync(descriptor) == 0 else {
      throw .outputFailed(path: path, reason: POSIXErrorText.describe(systemErrorNumber()))
    }
    systemClose(descriptor)
    descriptor = -1

    do {
      return (header.fileLength, try FileDigest.sha256(path: path))
    } catch {
      throw .outputFailed(path: path, reason: "reading it back for its checksum failed: \(error.reason)")
    }
  }

  /// Closes and deletes the file.
  func abandon() {
    if descriptor >= 0 {
      systemClose(descriptor)
      descriptor = -1
    }
    unlink(path)
  }

  // MARK: - Buffering

  private var writtenBytes = 0

  private func padTo(_ offset: Int) throws(PreparationError) {
    let position = writtenBytes + buffer.count
    precondition(position <= offset)
    buffer.append(contentsOf: repeatElement(0, count: offset - position))
    if buffer.count >= bufferLimit { try flush() }
  }

  private func flush() throws(PreparationError) {
    var start = 0
    while start < buffer.count {
      let count = buffer.withUnsafeBytes { bytes in
        systemWrite(descriptor, bytes.baseAddress.map { $0 + start }, bytes.count - start)
      }
      if count < 0 {
        let code = systemErrorNumber()
        if code == EINTR { continue }
        throw .outputFailed(path: path, reason: POSIXErrorText.describe(code))
      }
      start += count
    }
    writtenBytes += buffer.count
    buffer.removeAll(keepingCapacity: true)
  }
}

// MARK: - File digests

enum FileDigest {
  /// Returns the lowercase hexadecimal SHA-256 of the file at `path`, read in 1 MiB blocks.
  ///
  /// - Throws: the POSIX error text when the file cannot be opened or read.
  static func sha256(path: String) throws(FileDigestError) -> String {
    let descriptor = systemOpen(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw FileDigestError(reason: POSIXErrorText.describe(systemErrorNumber()))
    }
    defer { systemClose(descriptor) }
    var hasher = SHA256()
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { block.deallocate() }
    while true {
      let count = systemRead(descriptor, block.baseAddress, block.count)
      if count < 0 {
        let code = systemErrorNumber()
        if code == EINTR { continue }
        throw FileDigestError(reason: POSIXErrorText.describe(code))
      }
      if count == 0 { break }
      hasher.update(UnsafeRawBufferPointer(rebasing: block[0..<count]))
    }
    return SHA256.hexString(hasher.finalize())
  }
}

struct FileDigestError: Error {
  var reason: String
}
