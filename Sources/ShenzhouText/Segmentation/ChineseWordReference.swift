/// Whole-word references in the format of Hugging Face's `run_chinese_ref.py`: for one line of
/// text, the positions of the tokens that continue a word, as the tokens the `##` prefix marks
/// after an LTP segmentation.
///
/// Positions index the line's token sequence including the leading `[CLS]` token, so the first
/// text token is position 1. A reference file has one JSON array of such positions per
/// non-blank line of the text file, for example `[2, 4, 5]`.
public struct ChineseWordReference: Sendable, Equatable {
  /// File the reference was read from, for error messages.
  public var path: String
  /// 1-based line in that file.
  public var line: Int
  /// Token positions that continue the word of the token before them, strictly increasing.
  public var continuationPositions: [Int]

  public init(path: String, line: Int, continuationPositions: [Int]) {
    self.path = path
    self.line = line
    self.continuationPositions = continuationPositions
  }

  // MARK: - Reading

  /// Reads a reference file: one JSON array of non-negative, strictly increasing integers per
  /// line. A missing newline at the end of the file is fine; blank lines are not, because each
  /// line belongs to one line of text.
  ///
  /// - Throws: `SegmentationError` naming the file, the line and the column of what is wrong.
  public static func read(path: String) throws(SegmentationError) -> [ChineseWordReference] {
    let bytes = try SegmentationFile.readBytes(path: path)
    var references: [ChineseWordReference] = []
    try bytes.withUnsafeBufferPointer { buffer throws(SegmentationError) in
      try SegmentationFile.forEachLine(in: buffer) { lineNumber, rawRange throws(SegmentationError) in
        var range = rawRange
        if lineNumber == 1 { range = SegmentationFile.droppingByteOrderMark(range, in: buffer) }
        let positions = try parsePositions(buffer, range, path: path, line: lineNumber)
        references.append(
          ChineseWordReference(path: path, line: lineNumber, continuationPositions: positions))
      }
    }
    return references
  }

  /// Parses `[p1, p2, ...]` with optional whitespace around every element.
  static func parsePositions(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, path: String, line: Int
  ) throws(SegmentationError) -> [Int] {
    var index = range.lowerBound
    func fail(_ message: String) -> SegmentationError {
      .invalidLine(
        path: path, line: line, field: "JSON array at column \(index - range.lowerBound + 1)",
        message: message)
    }
    func skipWhitespace() {
      while index < range.upperBound && SegmentationFile.isASCIIWhitespace(bytes[index]) {
        index += 1
      }
    }

    skipWhitespace()
    if index == range.upperBound {
      throw fail("the line is empty; write [] for a line of text without continuation tokens")
    }
    guard bytes[index] == UInt8(ascii: "[") else {
      throw fail("expected '[' to start a list of token positions such as [2, 3]")
    }
    index += 1
    skipWhitespace()
    var positions: [Int] = []
    if index < range.upperBound && bytes[index] == UInt8(ascii: "]") {
      index += 1
    } else {
      while true {
        skipWhitespace()
        let numberStart = index
        if index < range.upperBound && bytes[index] == UInt8(ascii: "-") {
          throw fail("positions must be non-negative token indices")
        }
        var value = 0
        while index < range.upperBound && bytes[index] &- 0x30 < 10 {
          let (product, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
          let (sum, overflowAdd) = product.addingReportingOverflow(Int(bytes[index] - 0x30))
          if overflowMultiply || overflowAdd { throw fail("the position is too large") }
          value = sum
          index += 1
        }
        if index == numberStart {
          throw fail("expected a non-negative integer token position")
        }
        if index < range.upperBound
          && (bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e"))
        {
          throw fail("positions must be integers")
        }
        if let last = positions.last, value <= last {
          throw fail("position \(value) does not follow \(last); positions must strictly increase")
        }
        positions.append(value)
        skipWhitespace()
        guard index < range.upperBound else {
          throw fail("the list is not closed; expected ',' or ']'")
        }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        guard bytes[index] == UInt8(ascii: "]") else {
          throw fail("expected ',' or ']' after a position")
        }
        index += 1
        break
      }
    }
    skipWhitespace()
    if index < range.upperBound {
      throw fail("unexpected text after the closing ']'; write one list per line")
    }
    return positions
  }

  // MARK: - Word boundaries

  /// Returns word boundaries for the tokens of the line: a token at a continuation position
  /// extends the word of the token before it, and every other text token starts a word.
  ///
  /// - Parameter tokenOffsets: For each token of the sequence the positions index, `[CLS]`
  ///   included, the `[start, end)` Unicode scalar offsets it covers in the text, or nil for a
  ///   special token.
  /// - Throws: `SegmentationError` naming this reference's file and line when a position is
  ///   past the last token, is a special token, or follows a special token.
  public func wordRanges(tokenOffsets: [Range<Int>?]) throws(SegmentationError) -> [Range<Int>] {
    func fail(_ position: Int, _ message: String) -> SegmentationError {
      .invalidLine(path: path, line: line, field: "position \(position)", message: message)
    }
    var words: [Range<Int>] = []
    var next = continuationPositions.startIndex
    for (tokenIndex, offsets) in tokenOffsets.enumerated() {
      let continues = next < continuationPositions.endIndex && continuationPositions[next] == tokenIndex
      if continues { next += 1 }
      guard let offsets else {
        if continues { throw fail(tokenIndex, "it is a special token, which cannot continue a word") }
        continue
      }
      if continues {
        guard tokenIndex > 0, tokenOffsets[tokenIndex - 1] != nil, let last = words.last else {
          throw fail(tokenIndex, "no text token precedes it, so it has no word to continue")
        }
        words[words.count - 1] = last.lowerBound..<max(last.upperBound, offsets.upperBound)
      } else {
        words.append(offsets)
      }
    }
    if next < continuationPositions.endIndex {
      let position = continuationPositions[next]
      throw fail(
        position,
        "the line has \(tokenOffsets.count) tokens ([CLS] included); check that the reference file matches the text file and tokenizer")
    }
    return words
  }
}
