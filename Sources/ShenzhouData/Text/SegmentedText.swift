import ShenzhouText

// MARK: - Pre-segmented text

/// Text with a word segmentation, as Unicode scalars and word ranges over them.
public struct SegmentedText: Sendable, Equatable {
  public var scalars: [Unicode.Scalar]
  /// Word ranges in scalar offsets, sorted and non-overlapping. Scalars outside every range are the
  /// spaces inserted between words.
  public var words: [Range<Int>]

  public init(scalars: [Unicode.Scalar], words: [Range<Int>]) {
    self.scalars = scalars
    self.words = words
  }

  /// The text as a string.
  public var text: String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  /// Splits the text into sentences with `SentenceSplitter`, moving each boundary to the end of the
  /// word it falls in, and returns each sentence with its words rebased to the sentence's start.
  public func sentences() -> [SegmentedText] {
    let ranges = SentenceSplitter.sentenceRanges(in: scalars)
    var result: [SegmentedText] = []
    var wordIndex = 0
    for (sentenceIndex, range) in ranges.enumerated() {
      let isLast = sentenceIndex == ranges.count - 1
      var sentenceWords: [Range<Int>] = []
      while wordIndex < words.count, isLast || words[wordIndex].lowerBound < range.upperBound {
        sentenceWords.append(words[wordIndex])
        wordIndex += 1
      }
      guard let first = sentenceWords.first, let last = sentenceWords.last else { continue }
      let base = first.lowerBound
      let sentenceScalars = Array(scalars[base..<last.upperBound])
      let rebased = sentenceWords.map { ($0.lowerBound - base)..<($0.upperBound - base) }
      result.append(SegmentedText(scalars: sentenceScalars, words: rebased))
    }
    return result
  }
}

// MARK: - Parsing

/// Options for reading text that is already segmented into words.
public struct SegmentedInputOptions: Codable, Equatable, Sendable {
  /// Drops each line's first token, such as the `19980101-01-001-001/m` sentence id of the People's
  /// Daily corpus.
  public var dropsLeadingToken: Bool
  /// Removes part-of-speech tags written as `word/tag`, and the brackets of compound words written as
  /// `[word/tag word/tag]tag`, with the rules of `PresegmentedTextReader`. Turn this off when words
  /// may contain a slash followed by letters, such as URLs.
  public var stripsPartOfSpeechTags: Bool

  public init(dropsLeadingToken: Bool = false, stripsPartOfSpeechTags: Bool = true) {
    self.dropsLeadingToken = dropsLeadingToken
    self.stripsPartOfSpeechTags = stripsPartOfSpeechTags
  }
}

extension SegmentedText {
  /// Parses one line of whitespace-separated words with `PresegmentedTextReader`.
  ///
  /// Words are joined without spaces, except that one space separates two words when both sides of
  /// the join are letters or digits outside CJK, so that "New York" stays two words to the tokenizer.
  /// A line of only whitespace gives empty text.
  ///
  /// - Throws: `SegmentationError` naming `path` and `lineNumber` for an empty word or an unbalanced
  ///   bracket group.
  public init(
    segmentedLine line: String, lineNumber: Int = 1, path: String = "<text>", options: SegmentedInputOptions
  ) throws(SegmentationError) {
    guard
      let sentence = try PresegmentedTextReader.parse(
        line: line, lineNumber: lineNumber, path: path, stripsTags: options.stripsPartOfSpeechTags)
    else {
      self.init(scalars: [], words: [])
      return
    }
    let parsedScalars = Array(sentence.text.unicodeScalars)
    var parsedWords = sentence.words[...]
    if options.dropsLeadingToken, !parsedWords.isEmpty {
      parsedWords = parsedWords.dropFirst()
    }
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(parsedScalars.count + 8)
    var words: [Range<Int>] = []
    words.reserveCapacity(parsedWords.count)
    for range in parsedWords where !range.isEmpty {
      if let previous = scalars.last, SegmentedText.isWordCharacter(previous),
        SegmentedText.isWordCharacter(parsedScalars[range.lowerBound])
      {
        scalars.append(" ")
      }
      let start = scalars.count
      scalars.append(contentsOf: parsedScalars[range])
      words.append(start..<scalars.count)
    }
    self.init(scalars: scalars, words: words)
  }

  private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
    guard !SentenceSplitter.isCJK(scalar.value) else { return false }
    return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
  }
}
