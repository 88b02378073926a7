/// User words on top of the loaded dictionary, with jieba 0.42.1's `add_word` and
/// `load_userdict` semantics.
extension ChineseSegmenter {
  // MARK: - Adding words

  /// Adds `word` with frequency `freq`, or replaces its frequency.
  ///
  /// Without a frequency, the word gets the smallest one that makes the dictionary path prefer
  /// it over its current pieces, computed as jieba's `suggest_freq(word, tune=False)` does.
  /// Frequency 0 removes the word, and from then on the HMM output also splits it into single
  /// characters. Every added frequency also adds to `total`, which lowers the probability of
  /// all other words slightly, as in jieba.
  ///
  /// - Throws: `SegmentationError.invalidWord` when the word is empty, the frequency is
  ///   negative, or the total would exceed `Int64.max`.
  public mutating func add(word: String, freq: Int? = nil) throws(SegmentationError) {
    let scalars = Self.scalarValues(of: word)
    guard !scalars.isEmpty else {
      throw .invalidWord(word: word, message: "the word is empty")
    }
    if let freq, freq < 0 {
      throw .invalidWord(word: word, message: "frequency \(freq) is negative; use 0 to remove a word")
    }
    let frequency = freq.map { Int64($0) } ?? suggestedFrequency(for: scalars)
    try addScalars(scalars, frequency: frequency, word: word)
  }

  private mutating func addScalars(_ scalars: [UInt32], frequency: Int64, word: String)
    throws(SegmentationError)
  {
    let (sum, overflow) = total.addingReportingOverflow(frequency)
    guard !overflow else {
      throw .invalidWord(
        word: word, message: "frequency \(frequency) makes the dictionary total exceed 2^63 - 1")
    }
    userWords.assign(scalars, frequency: frequency)
    total = sum
    logTotal = PrefixDictionary.naturalLog(Double(max(total, 1)))
    if frequency == 0 {
      forcedSplits.insert(scalars)
    }
  }

  /// Returns the frequency at which `scalars` would just beat its current pieces on the
  /// dictionary path: the product of the pieces' probabilities times `total`, plus 1, or the
  /// word's own frequency if that is larger.
  func suggestedFrequency(for scalars: [UInt32]) -> Int64 {
    let total = Double(self.total)
    var probability = 1.0
    for piece in cut(scalars: scalars, hmm: false) {
      let frequency = lexiconFrequency(scalars, piece) ?? 1
      probability *= Double(frequency) / total
    }
    let suggested = Int64(probability * total) + 1
    let current = lexiconFrequency(scalars, scalars.indices) ?? 1
    return max(suggested, current)
  }

  // MARK: - User dictionary files

  /// Adds the words of a user dictionary file, one `word [frequency] [tag]` line each, as
  /// jieba's `load_userdict` reads them.
  ///
  /// Lines are trimmed of ASCII whitespace and blank lines are skipped. The line splits as the
  /// pattern `^(.+?)( [0-9]+)?( [a-z]+)?$` does, so a word may contain spaces, a trailing
  /// number is its frequency, and a trailing lowercase ASCII word is its tag, which is ignored.
  /// Words without a frequency get `add(word:)`'s suggested one, computed in file order.
  ///
  /// - Throws: `SegmentationError` naming the file and line of invalid UTF-8 or of a frequency
  ///   that does not fit. The segmenter is unchanged when it throws.
  public mutating func loadUserDictionary(path: String) throws(SegmentationError) {
    let bytes = try SegmentationFile.readBytes(path: path)
    var entries: [(line: Int, word: String, frequency: Int64?)] = []
    try bytes.withUnsafeBufferPointer { buffer throws(SegmentationError) in
      try SegmentationFile.forEachLine(in: buffer) { lineNumber, rawRange throws(SegmentationError) in
        let range = SegmentationFile.trimASCIIWhitespace(rawRange, in: buffer)
        guard let text = SegmentationFile.string(buffer, range) else {
          throw .invalidUTF8(path: path, line: lineNumber)
        }
        let line = Substring(text).drop { $0 == "\u{FEFF}" }
        if line.isEmpty { return }
        let parsed = Self.parseUserDictionaryLine(line)
        var frequency: Int64?
        if let digits = parsed.frequency {
          guard let value = Int64(digits) else {
            throw .invalidLine(
              path: path, line: lineNumber, field: "frequency",
              message: "'\(digits)' does not fit in a 64-bit integer")
          }
          frequency = value
        }
        entries.append((lineNumber, String(parsed.word), frequency))
      }
    }
    var updated = self
    for entry in entries {
      let scalars = Self.scalarValues(of: entry.word)
      let frequency = entry.frequency ?? updated.suggestedFrequency(for: scalars)
      do {
        try updated.addScalars(scalars, frequency: frequency, word: entry.word)
      } catch {
        throw .invalidLine(
          path: path, line: entry.line, field: "frequency",
          message: "\(frequency) makes the dictionary total exceed 2^63 - 1")
      }
    }
    self = updated
  }

  /// Splits a trimmed, non-empty user dictionary line into word, frequency digits and tag, as
  /// `^(.+?)( [0-9]+)?( [a-z]+)?$` does: the shortest word for which the rest is empty,
  /// " digits", " tag" or " digits tag".
  static func parseUserDictionaryLine(_ line: Substring)
    -> (word: Substring, frequency: Substring?, tag: Substring?)
  {
    let scalars = line.unicodeScalars
    var wordEnd = scalars.index(after: scalars.startIndex)
    while wordEnd < scalars.endIndex {
      if let tail = matchUserDictionaryTail(scalars[wordEnd...]) {
        return (Substring(scalars[..<wordEnd]), tail.frequency, tail.tag)
      }
      wordEnd = scalars.index(after: wordEnd)
    }
    return (line, nil, nil)
  }

  private static func matchUserDictionaryTail(_ tail: Substring.UnicodeScalarView)
    -> (frequency: Substring?, tag: Substring?)?
  {
    func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value &- 0x30 < 10 }
    func isLowercase(_ scalar: Unicode.Scalar) -> Bool { scalar.value &- 0x61 < 26 }
    /// Returns the end of " " followed by one or more scalars of `accepted`, or nil.
    func spacedRun(from start: Substring.UnicodeScalarView.Index, _ accepted: (Unicode.Scalar) -> Bool)
      -> Substring.UnicodeScalarView.Index?
    {
      guard start < tail.endIndex, tail[start] == " " else { return nil }
      var end = tail.index(after: start)
      while end < tail.endIndex && accepted(tail[end]) { end = tail.index(after: end) }
      return end > tail.index(after: start) ? end : nil
    }

    if let digitsEnd = spacedRun(from: tail.startIndex, isDigit) {
      let frequency = Substring(tail[tail.index(after: tail.startIndex)..<digitsEnd])
      if digitsEnd == tail.endIndex { return (frequency, nil) }
      if let tagEnd = spacedRun(from: digitsEnd, isLowercase), tagEnd == tail.endIndex {
        return (frequency, Substring(tail[tail.index(after: digitsEnd)..<tagEnd]))
      }
    }
    if let tagEnd = spacedRun(from: tail.startIndex, isLowercase), tagEnd == tail.endIndex {
      return (nil, Substring(tail[tail.index(after: tail.startIndex)..<tagEnd]))
    }
    return nil
  }
}
