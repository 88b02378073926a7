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
      let path = paths[chunk.fileIndex]
      let lineNumber = line.location.lineNumber
      do throws(PreparationError) {
        for (sentence, words) in try splitSentences(text, location: line.location, path: path) {
          var encoded: EncodedSentence
          do {
            encoded = try encoder.encode(sentence: sentence, words: words)
          } catch {
            throw .encodingFailed(path: path, lineNumber: lineNumber, reason: "\(error)")
          }
          guard !encoded.tokenIDs.isEmpty else { continue }
          if let bad = encoded.tokenIDs.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
            throw .tokenIDOutOfRange(id: bad, vocabularySize: vocabularySize, path: path, lineNumber: lineNumber)
          }
          encoded.wordStarts[0] = true
          result.tokens.append(contentsOf: encoded.tokenIDs)
          result.wordStarts.append(contentsOf: encoded.wordStarts)
          result.sentenceLengths.append(encoded.tokenIDs.count)
          result.sentenceStartsDocument.append(boundaryPending)
          boundaryPending = false
        }
      } catch {
        result.failure = error
        return result
      }
    }
    result.endsWithDocumentBoundary = boundaryPending
    return result
  }

  /// Splits one line into sentences, each with its gold words for pre-segmented input.
  private func splitSentences(_ line: String, location: LineLocation, path: String)
    throws(PreparationError) -> [(text: String, words: [Range<Int>]?)]
  {
    if let segmentedOptions = settings.segmentedInput {
      let segmented: SegmentedText
      do {
        segmented = try SegmentedText(
          segmentedLine: line, lineNumber: location.lineNumber, path: path, options: segmentedOptions)
      } catch {
        let reason: String
        if case .invalidLine(_, _, let field, let message) = error {
          reason = "invalid \(field): \(message)"
        } else {
          reason = error.description
        }
        throw .invalidSegmentedLine(path: path, lineNumber: location.lineNumber, reason: reason)
      }
      return segmented.sentences().map { ($0.text, $0.words) }
    }
    let scalars = Array(line.unicodeScalars)
    let ranges = SentenceSplitter.sentenceRanges(in: scalars)
    if ranges.count == 1, ranges[0].count == scalars.count {
      return [(line, nil)]
    }
    return ranges.map { range in
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[range])
      return (String(view), nil)
    }
  }
}
