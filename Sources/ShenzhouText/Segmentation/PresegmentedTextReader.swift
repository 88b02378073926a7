/// Reader for text that another tool segmented: one sentence per line, words separated by
/// whitespace, each word optionally tagged as `word/tag`.
///
/// This covers the People's Daily corpus format, for example
/// `19980101-01-001-001/m  迈向/v  充满/v  希望/n`, and plain space-separated output of other
/// segmenters. Every token becomes a word, including the document id that starts People's Daily
/// lines, because the reader cannot tell it from a number.
///
/// With tags stripped (the default):
/// - A token's tag is the text after its last `/` when that text is an ASCII letter followed by
///   ASCII letters or digits and the text before it is not empty. A token without such a tag is
///   the word itself. So `1/2` stays whole but `km/h` becomes `km`, and untagged text should be
///   read with stripping off.
/// - People's Daily brackets group a compound, as in `[中央/n  电视台/n]nt`. The reader keeps the
///   words inside (`中央`, `电视台`) and drops the brackets and the compound's tag, because the
///   finer words are what whole-word masking needs and the compound can be rebuilt from them.
///   Brackets must not nest and must close on the line they open on.
public enum PresegmentedTextReader {
  // MARK: - Reading

  /// Reads the file at `path`; blank lines are skipped.
  ///
  /// - Throws: `SegmentationError` naming the file and line of invalid UTF-8, an empty word
  ///   (a token that is only a tag), or an unbalanced bracket.
  public static func read(path: String, stripsTags: Bool = true) throws(SegmentationError)
    -> [SegmentedSentence]
  {
    let bytes = try SegmentationFile.readBytes(path: path)
    var sentences: [SegmentedSentence] = []
    try bytes.withUnsafeBufferPointer { buffer throws(SegmentationError) in
      try SegmentationFile.forEachLine(in: buffer) { lineNumber, rawRange throws(SegmentationError) in
        var range = rawRange
        if lineNumber == 1 { range = SegmentationFile.droppingByteOrderMark(range, in: buffer) }
        guard let line = SegmentationFile.string(buffer, range) else {
          throw .invalidUTF8(path: path, line: lineNumber)
        }
        if let sentence = try parse(
          line: line, lineNumber: lineNumber, path: path, stripsTags: stripsTags)
        {
          sentences.append(sentence)
        }
      }
    }
    return sentences
  }

  /// Parses one line; returns nil for a line of only whitespace. `path` and `lineNumber` only
  /// label errors.
  public static func parse(
    line: String, lineNumber: Int, path: String = "<text>", stripsTags: Bool = true
  ) throws(SegmentationError) -> SegmentedSentence? {
    let tokens = line.unicodeScalars.split { SegmenterScalarClass.isWhitespace($0.value) }
    if tokens.isEmpty { return nil }

    func fail(_ tokenIndex: Int, _ message: String) -> SegmentationError {
      .invalidLine(
        path: path, line: lineNumber, field: "token \(tokenIndex + 1) '\(String(tokens[tokenIndex]))'",
        message: message)
    }

    var text = String.UnicodeScalarView()
    var words: [Range<Int>] = []
    var offset = 0
    var openGroupToken: Int?
    for (tokenIndex, token) in tokens.enumerated() {
      var word = Substring.UnicodeScalarView(token)
      if stripsTags {
        if let (inner, opensGroup) = closingGroupWord(word) {
          if let open = openGroupToken, opensGroup {
            throw fail(tokenIndex, "'[' opens a group inside the group opened by token \(open + 1), but groups cannot nest")
          }
          guard openGroupToken != nil || opensGroup else {
            throw fail(tokenIndex, "']' closes a bracket group that no '[' opened on this line")
          }
          openGroupToken = nil
          word = inner
        } else if let inner = openingGroupWord(word) {
          if let open = openGroupToken {
            throw fail(tokenIndex, "'[' opens a group inside the group opened by token \(open + 1), but groups cannot nest")
          }
          openGroupToken = tokenIndex
          word = inner
        }
        if let tagStart = tagSeparator(word) {
          word = word[..<tagStart]
          if word.isEmpty {
            throw fail(tokenIndex, "the word before the tag is empty; write it as WORD/TAG")
          }
        } else if word.first == "/" && word.count > 1 && isTag(word.dropFirst()) {
          throw fail(tokenIndex, "the word before the tag is empty; write it as WORD/TAG")
        }
      }
      let length = word.count
      text.append(contentsOf: word)
      words.append(offset..<(offset + length))
      offset += length
    }
    if let open = openGroupToken {
      throw fail(open, "the bracket group it opens is not closed with ']' on this line")
    }
    return SegmentedSentence(line: lineNumber, text: String(text), words: words)
  }

  // MARK: - Tags and brackets

  /// Returns the index of the `/` that starts the token's tag, or nil when it has no tag.
  private static func tagSeparator(_ token: Substring.UnicodeScalarView)
    -> Substring.UnicodeScalarView.Index?
  {
    guard let slash = token.lastIndex(of: "/"), slash > token.startIndex else { return nil }
    return isTag(token[token.index(after: slash)...]) ? slash : nil
  }

  /// Returns whether `text` is an ASCII letter followed by ASCII letters or digits.
  private static func isTag(_ text: Substring.UnicodeScalarView) -> Bool {
    guard let first = text.first, first.isASCII, first.properties.isAlphabetic else { return false }
    return text.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ($0.value &- 0x30) < 10) }
  }

  /// For `[word/tag`, returns `word/tag`; nil when the token does not open a group.
  private static func openingGroupWord(_ token: Substring.UnicodeScalarView)
    -> Substring.UnicodeScalarView?
  {
    guard token.first == "[" else { return nil }
    let inner = token.dropFirst()
    guard tagSeparator(inner) != nil else { return nil }
    return inner
  }

  /// For `word/tag]groupTag` (the group tag may be absent), returns `word/tag` and whether the
  /// token also opens the group, as `[word/tag]groupTag` does. Returns nil for other tokens.
  private static func closingGroupWord(_ token: Substring.UnicodeScalarView)
    -> (word: Substring.UnicodeScalarView, opensGroup: Bool)?
  {
    guard let bracket = token.lastIndex(of: "]"), bracket > token.startIndex else { return nil }
    let groupTag = token[token.index(after: bracket)...]
    guard groupTag.isEmpty || isTag(groupTag) else { return nil }
    let inner = token[..<bracket]
    if let opened = openingGroupWord(inner) {
      return (opened, true)
    }
    guard tagSeparator(inner) != nil else { return nil }
    return (inner, false)
  }
}
