// MARK: - Chunk reader

/// Reads the corpus files in order and cuts them into `RawChunk`s of about `chunkBytes` bytes.
///
/// In blank-line format a chunk ends at a blank line when it can. A document longer than 16 chunk
/// sizes is cut anyway, and the next chunk continues it. Chunks never span files, and every file
/// starts a new document.
struct CorpusChunkReader {
  let paths: [String]
  let fileSizes: [Int64]
  let documentFormat: DocumentFormat
  let chunkBytes: Int

  /// Reads every file and passes each chunk to `emit`. Stops early when `emit` returns false. A read
  /// error becomes a chunk with `failure` set, after which reading stops.
  func run(emit: (RawChunk) -> Bool) {
    var chunkIndex = 0
    var bytesBeforeFile: Int64 = 0
    for (fileIndex, path) in paths.enumerated() {
      var chunk = RawChunk(index: chunkIndex, fileIndex: fileIndex)
      var chunkStreamStart: Int64 = 0
      var streamPosition: Int64 = 0
      func send() -> Bool {
        chunk.streamBytes = streamPosition - chunkStreamStart
        chunkStreamStart = streamPosition
        let sent = emit(chunk)
        chunkIndex += 1
        chunk = RawChunk(index: chunkIndex, fileIndex: fileIndex)
        return sent
      }
      do throws(PreparationError) {
        let source = try CorpusByteSources.open(path: path)
        let reader = LineReader(source: source)
        var documentPending = true
        while true {
          let lineStart = chunk.bytes.count
          guard let location = try reader.appendNextLine(to: &chunk.bytes) else { break }
          streamPosition = reader.streamBytesConsumed
          chunk.lineCount += 1
          if CorpusChunkReader.isBlank(chunk.bytes[lineStart...]) {
            chunk.bytes.removeSubrange(lineStart...)
            chunk.blankLines += 1
            documentPending = true
            if documentFormat == .blank, chunk.bytes.count >= chunkBytes {
              chunk.inputPosition = bytesBeforeFile + reader.fileBytesConsumed
              guard send() else { return }
            }
            continue
          }
          let startsDocument = documentFormat == .line || documentPending
          documentPending = false
          chunk.lines.append(
            RawChunk.Line(range: lineStart..<chunk.bytes.count, location: location, startsDocument: startsDocument))
          let limit = documentFormat == .line ? chunkBytes : chunkBytes * 16
          if chunk.bytes.count >= limit {
            chunk.inputPosition = bytesBeforeFile + reader.fileBytesConsumed
            guard send() else { return }
          }
        }
        try source.close()
        bytesBeforeFile += fileSizes[fileIndex]
        chunk.inputPosition = bytesBeforeFile
        if chunk.lineCount > 0 {
          guard send() else { return }
        }
      } catch {
        chunk.failure = error
        _ = emit(chunk)
        return
      }
    }
  }

  /// Returns whether a line holds only ASCII whitespace and U+3000 IDEOGRAPHIC SPACE.
  static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
    var index = bytes.startIndex
    while index < bytes.endIndex {
      switch bytes[index] {
      case 0x20, 0x09, 0x0b, 0x0c, 0x0d:
        index += 1
      case 0xe3:
        guard index + 2 < bytes.endIndex, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 else { return false }
        index += 3
      default:
        return false
      }
    }
    return true
  }
}
