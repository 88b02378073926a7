/// The steps of jieba's default mode: splitting text into blocks, the maximum-probability path
/// through the dictionary words of a block, and the HMM for what the dictionary leaves as single
/// characters.
extension ChineseSegmenter {
  // MARK: - Blocks

  /// Appends the words of `scalars` to `words`; ranges index `scalars`.
  func appendWords(
    of scalars: UnsafeBufferPointer<UInt32>, hmm: Bool, into words: inout [Range<Int>]
  ) {
    let count = scalars.count
    if count == 0 { return }
    var route = RouteBuffer(count: count)
    var index = 0
    while index < count {
      let scalar = scalars[index]
      if SegmenterScalarClass.isBlockScalar(scalar) {
        var end = index + 1
        while end < count && SegmenterScalarClass.isBlockScalar(scalars[end]) { end += 1 }
        computeRoute(scalars, index..<end, &route)
        if hmm {
          appendRouteWordsWithHMM(scalars, index..<end, route, into: &words)
        } else {
          appendRouteWordsWithoutHMM(scalars, index..<end, route, into: &words)
        }
        index = end
      } else if scalar == 0x0D && index + 1 < count && scalars[index + 1] == 0x0A {
        words.append(index..<(index + 2))
        index += 2
      } else {
        words.append(index..<(index + 1))
        index += 1
      }
    }
  }

  // MARK: - Maximum-probability path

  /// Best path scores and word ends per position, for positions `0...count`.
  struct RouteBuffer {
    var scores: [Double]
    var wordEnds: [Int]

    init(count: Int) {
      scores = [Double](repeating: 0, count: count + 1)
      wordEnds = [Int](repeating: 0, count: count + 1)
    }
  }

  /// Fills `route` for `block`: for each position, the best score of the rest of the block and
  /// the exclusive end of the first word on that path.
  ///
  /// A word's score is log(frequency) - log(total). A position where no dictionary word starts
  /// gets a one-character word scored as frequency 1. Scores add right to left in jieba's order,
  /// and on a tie the longer word wins, as in jieba's `max` over `(score, end)` pairs.
  func computeRoute(
    _ scalars: UnsafeBufferPointer<UInt32>, _ block: Range<Int>, _ route: inout RouteBuffer
  ) {
    let logTotal = self.logTotal
    let dictionary = self.dictionary
    let hasUserWords = !userWords.isEmpty
    let blockEnd = block.upperBound
    route.scores.withUnsafeMutableBufferPointer { scores in
      route.wordEnds.withUnsafeMutableBufferPointer { wordEnds in
        scores[blockEnd] = 0
        var start = blockEnd - 1
        while start >= block.lowerBound {
          var bestScore = -Double.infinity
          var bestEnd = -1
          var position = start
          if !hasUserWords {
            var node = dictionary.rootChild(scalars[start])
            while node >= 0 {
              if dictionary.frequency(node) > 0 {
                let score = (dictionary.logFrequency(node) - logTotal) + scores[position + 1]
                if score >= bestScore {
                  bestScore = score
                  bestEnd = position + 1
                }
              }
              position += 1
              if position >= blockEnd { break }
              node = dictionary.child(of: node, scalars[position])
            }
          } else {
            var baseNode = dictionary.rootChild(scalars[start])
            var userNode = userWords.child(of: 0, scalars[start])
            while baseNode >= 0 || userNode >= 0 {
              let entry = lexiconEntry(baseNode, userNode)
              if entry.frequency > 0 {
                let score = (entry.logFrequency - logTotal) + scores[position + 1]
                if score >= bestScore {
                  bestScore = score
                  bestEnd = position + 1
                }
              }
              position += 1
              if position >= blockEnd { break }
              if baseNode >= 0 { baseNode = dictionary.child(of: baseNode, scalars[position]) }
              if userNode >= 0 { userNode = userWords.child(of: userNode, scalars[position]) }
            }
          }
          if bestEnd < 0 {
            bestScore = (0 - logTotal) + scores[start + 1]
            bestEnd = start + 1
          }
          scores[start] = bestScore
          wordEnds[start] = bestEnd
          start -= 1
        }
      }
    }
  }

  // MARK: - Path to words

  /// Appends the words of the best path of `block`, as jieba's `__cut_DAG` does. Consecutive
  /// one-character words are collected into a run. A run that is not itself a dictionary word
  /// goes to the HMM, and a run that is one is emitted character by character.
  func appendRouteWordsWithHMM(
    _ scalars: UnsafeBufferPointer<UInt32>, _ block: Range<Int>, _ route: RouteBuffer,
    into words: inout [Range<Int>]
  ) {
    var position = block.lowerBound
    var pendingStart = -1
    while position < block.upperBound {
      let end = route.wordEnds[position]
      if end - position == 1 {
        if pendingStart < 0 { pendingStart = position }
      } else {
        if pendingStart >= 0 {
          appendSingleCharacterRun(scalars, pendingStart..<position, into: &words)
          pendingStart = -1
        }
        words.append(position..<end)
      }
      position = end
    }
    if pendingStart >= 0 {
      appendSingleCharacterRun(scalars, pendingStart..<block.upperBound, into: &words)
    }
  }

  private func appendSingleCharacterRun(
    _ scalars: UnsafeBufferPointer<UInt32>, _ run: Range<Int>, into words: inout [Range<Int>]
  ) {
    if run.count == 1 {
      words.append(run)
    } else if lexiconFrequency(scalars, run) ?? 0 == 0 {
      appendHMMWords(scalars, run, into: &words)
    } else {
      for position in run {
        words.append(position..<(position + 1))
      }
    }
  }

  /// Appends the words of the best path of `block`, joining adjacent single ASCII letters and
  /// digits (jieba's `__cut_DAG_NO_HMM`).
  func appendRouteWordsWithoutHMM(
    _ scalars: UnsafeBufferPointer<UInt32>, _ block: Range<Int>, _ route: RouteBuffer,
    into words: inout [Range<Int>]
  ) {
    var position = block.lowerBound
    var pendingStart = -1
    while position < block.upperBound {
      let end = route.wordEnds[position]
      if end - position == 1 && SegmenterScalarClass.isASCIIAlphanumeric(scalars[position]) {
        if pendingStart < 0 { pendingStart = position }
      } else {
        if pendingStart >= 0 {
          words.append(pendingStart..<position)
          pendingStart = -1
        }
        words.append(position..<end)
      }
      position = end
    }
    if pendingStart >= 0 {
      words.append(pendingStart..<block.upperBound)
    }
  }

  // MARK: - HMM

  /// Appends the words of `run` as jieba's `finalseg.cut` finds them: Han runs go to the HMM,
  /// and in the rest each match of `[a-zA-Z0-9]+(\.[0-9]+)?%?` is a word, as is each stretch
  /// of other characters between matches.
  func appendHMMWords(
    _ scalars: UnsafeBufferPointer<UInt32>, _ run: Range<Int>, into words: inout [Range<Int>]
  ) {
    var index = run.lowerBound
    while index < run.upperBound {
      let isHan = SegmenterScalarClass.isHan(scalars[index])
      var end = index + 1
      while end < run.upperBound && SegmenterScalarClass.isHan(scalars[end]) == isHan { end += 1 }
      if isHan {
        appendViterbiWords(scalars, index..<end, into: &words)
      } else {
        appendAlphanumericWords(scalars, index..<end, into: &words)
      }
      index = end
    }
  }

  private func appendViterbiWords(
    _ scalars: UnsafeBufferPointer<UInt32>, _ run: Range<Int>, into words: inout [Range<Int>]
  ) {
    if forcedSplits.isEmpty {
      model.cut(scalars, run, into: &words)
      return
    }
    var found: [Range<Int>] = []
    model.cut(scalars, run, into: &found)
    for word in found {
      if word.count > 1 && forcedSplits.contains(Array(scalars[word])) {
        for position in word {
          words.append(position..<(position + 1))
        }
      } else {
        words.append(word)
      }
    }
  }

  private func appendAlphanumericWords(
    _ scalars: UnsafeBufferPointer<UInt32>, _ run: Range<Int>, into words: inout [Range<Int>]
  ) {
    var gapStart = run.lowerBound
    var index = run.lowerBound
    let end = run.upperBound
    while index < end {
      guard SegmenterScalarClass.isASCIIAlphanumeric(scalars[index]) else {
        index += 1
        continue
      }
      var matchEnd = index + 1
      while matchEnd < end && SegmenterScalarClass.isASCIIAlphanumeric(scalars[matchEnd]) {
        matchEnd += 1
      }
      if matchEnd + 1 < end && scalars[matchEnd] == 0x2E
        && SegmenterScalarClass.isASCIIDigit(scalars[matchEnd + 1])
      {
        matchEnd += 2
        while matchEnd < end && SegmenterScalarClass.isASCIIDigit(scalars[matchEnd]) {
          matchEnd += 1
        }
      }
      if matchEnd < end && scalars[matchEnd] == 0x25 { matchEnd += 1 }
      if gapStart < index { words.append(gapStart..<index) }
      words.append(index..<matchEnd)
      index = matchEnd
      gapStart = matchEnd
    }
    if gapStart < end { words.append(gapStart..<end) }
  }

  // MARK: - Lexicon

  /// Returns the frequency and its log for a prefix reached in the compiled dictionary
  /// (`baseNode`) and the user overlay (`userNode`). A node of -1 marks a prefix absent there.
  @inline(__always)
  func lexiconEntry(_ baseNode: Int32, _ userNode: Int32) -> (frequency: Int64, logFrequency: Double) {
    if userNode >= 0 {
      let assigned = userWords.assignedFrequency(userNode)
      if assigned >= 0 { return (assigned, userWords.logFrequency(userNode)) }
    }
    if baseNode >= 0 { return (dictionary.frequency(baseNode), dictionary.logFrequency(baseNode)) }
    return (0, 0)
  }

  /// Returns the frequency of `scalars[range]` as jieba's `FREQ.get` would: nil when it is
  /// neither a word nor a prefix of one, 0 for a prefix that is not a word.
  func lexiconFrequency<C: Collection<UInt32>>(_ scalars: C, _ range: Range<C.Index>) -> Int64? {
    if range.isEmpty { return nil }
    var baseNode: Int32 = 0
    var userNode: Int32 = userWords.isEmpty ? -1 : 0
    var isFirst = true
    for scalar in scalars[range] {
      if baseNode >= 0 {
        baseNode = isFirst ? dictionary.rootChild(scalar) : dictionary.child(of: baseNode, scalar)
      }
      if userNode >= 0 { userNode = userWords.child(of: userNode, scalar) }
      isFirst = false
      if baseNode < 0 && userNode < 0 { return nil }
    }
    return lexiconEntry(baseNode, userNode).frequency
  }
}
