/// A sentence with word boundaries that another tool computed.
public struct SegmentedSentence: Sendable, Equatable {
  /// 1-based line of the source file.
  public var line: Int
  /// The words of the line, concatenated without separators.
  public var text: String
  /// `[start, end)` Unicode scalar offsets into `text`, in order, adjacent and non-empty.
  public var words: [Range<Int>]

  public init(line: Int, text: String, words: [Range<Int>]) {
    self.line = line
    self.text = text
    self.words = words
  }

  /// The words as strings.
  public var wordStrings: [String] {
    let scalars = Array(text.unicodeScalars)
    return words.map { range in
      var word = String.UnicodeScalarView()
      word.append(contentsOf: scalars[range])
      return String(word)
    }
  }
}
