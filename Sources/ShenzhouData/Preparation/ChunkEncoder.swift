// MARK: - Chunk encoder

/// Encodes the lines of a `RawChunk` into sentences of token ids. Runs on the worker threads.
struct ChunkEncoder: Sendable {
  let encoder: any PretrainingTextEncoder
  let settings: PreparationSettings
  let paths: [String]
  let decompressed: [Bool]

  func encode(_ chunk: RawChunk) -> EncodedChunk {
    var result = EncodedChunk(index: chunk.index, fileIndex: chunk.fileIndex)
    result.lineCount = chunk.lineCount
    result.blankLines = chunk.blankLines
    result.bytes = chunk.streamBytes
    result.inputPosition = chunk.inputPosition
    if let failure = chunk.failure {
      result.failure = failure
      return result
    }
    let vocabularySize = encoder.vocabulary.size
    var boundaryPending = false
    for line in chunk.lines {
      if line.startsDocument { boundaryPending = true }
      let invalidOffset = chunk.bytes.withUnsafeBytes { bytes in
        UTF8Validation.firstInvalidOffset(in: UnsafeRawBufferPointer(rebasing: bytes[line.range]))
      }
      if let invalidOffset {
        if settings.skipsInvalidUTF8 {
          result.skippedLines += 1
          continue
        }
        result.failure = .invalidUTF8(
          path: paths[chunk.fileIndex], lineNumber: line.location.lineNumber,
          byteOffset: line.location.byteOffset + Int64(invalidOffset), decompressed: decompressed[chunk.fileIndex])
        return result
      }
      let text = String(decoding: chunk.bytes[line.range], as: UTF8.self)
      var failure: PreparationError?
      forEachSentence(in: text) { sentence, words in
        guard failure == nil else { return }
        var encoded = encoder.encode(sentence: sentence, words: words)
        guard !encoded.tokenIDs.isEmpty else { return }
        if let bad = encoded.tokenIDs.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
          failure = .tokenIDOutOfRange(
            id: bad, vocabularySize: vocabularySize, path: paths[chunk.fileIndex],
            lineNumber: line.location.lineNumber)
          return
        }
        encoded.wordStarts[0] = true
        result.tokens.append(contentsOf: encoded.tokenIDs)
        result.wordStarts.append(contentsOf: encoded.wordStarts)
        result.sentenceLengths.append(encoded.tokenIDs.count)
        result.sentenceStartsDocument.append(boundaryPending)
        boundaryPending = false
      }
      if let failure {
        result.failure = failure
        return result
      }
    }
    result.endsWithDocumentBoundary = boundaryPending
    return result
  }

  /// Splits one line into sentences and calls `body` with each sentence and its gold words, if any.
  private func forEachSentence(in line: String, _ body: (String, [Range<Int>]?) -> Void) {
    if let segmentedOptions = settings.segmentedInput {
      let segmented = SegmentedText(segmentedLine: line, options: segmentedOptions)
      for sentence in segmented.sentences() {
        body(sentence.text, sentence.words)
      }
      return
    }
    let scalars = Array(line.unicodeScalars)
    let ranges = SentenceSplitter.sentenceRanges(in: scalars)
    if ranges.count == 1, ranges[0].count == scalars.count {
      body(line, nil)
      return
    }
    for range in ranges {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[range])
      body(String(view), nil)
    }
  }
}
