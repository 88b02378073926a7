/// The hidden Markov model that segments runs of Han characters the dictionary does not join,
/// as jieba's `finalseg` does. Each character is tagged B (begins a word), M (inside), E (ends)
/// or S (single-character word). Viterbi decoding picks the most probable tag sequence.
///
/// All values are natural logarithms of probabilities. Emissions are stored only for Han
/// characters U+4E00...U+9FD5, the only characters the model is asked to tag.
struct SegmentationHMM: Sendable {
  // MARK: - States

  /// State indices in alphabetical order of their letters, so that comparing indices breaks
  /// ties between equal scores the way jieba's `max` over `(score, letter)` pairs does.
  static let begin = 0
  static let end = 1
  static let middle = 2
  static let single = 3
  static let stateLetters: [Character] = ["B", "E", "M", "S"]

  /// The two states each state may follow, by index: B after E or S, E after B or M,
  /// M after M or B, S after S or E.
  private static let predecessors: [(Int, Int)] = [(1, 3), (0, 2), (2, 0), (3, 1)]

  static let hanFirst: UInt32 = 0x4E00
  static let hanLast: UInt32 = 0x9FD5

  /// jieba's `MIN_FLOAT`, the score of a transition or emission the tables do not list.
  static let jiebaMissingScore = -3.14e100

  // MARK: - Parameters

  /// Log probability of starting in each state.
  var start: [Double]
  /// Log probability of moving from state `from` to state `to`, at `from * 4 + to`.
  var transition: [Double]
  /// Log probability that state `s` emits Han character `c`, at `(c - 0x4E00) * 4 + s`.
  var emission: [Double]
  /// Score of a transition or emission that the tables do not list.
  var missingScore: Double

  init(missingScore: Double = jiebaMissingScore) {
    self.missingScore = missingScore
    start = [Double](repeating: missingScore, count: 4)
    transition = [Double](repeating: missingScore, count: 16)
    emission = [Double](
      repeating: missingScore, count: Int(Self.hanLast - Self.hanFirst + 1) * 4)
  }

  // MARK: - Decoding

  /// Appends the words of `scalars[range]`, all Han characters, to `words` as ranges of
  /// `scalars` indices.
  ///
  /// Words follow jieba's reading of the tags. B starts a word, and E closes the word begun at
  /// the last B or at the start of the run. S is a word by itself. Characters left after the
  /// last E or S form one final word.
  func cut(
    _ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, into words: inout [Range<Int>]
  ) {
    if range.isEmpty { return }
    let tags = decode(scalars, range)
    var begin = range.lowerBound
    var next = range.lowerBound
    for offset in 0..<tags.count {
      let position = range.lowerBound + offset
      switch Int(tags[offset]) {
      case Self.begin:
        begin = position
      case Self.end:
        words.append(begin..<(position + 1))
        next = position + 1
      case Self.single:
        words.append(position..<(position + 1))
        next = position + 1
      default:
        break
      }
    }
    if next < range.upperBound {
      words.append(next..<range.upperBound)
    }
  }

  /// Returns the most probable state index for each scalar of `scalars[range]` (Viterbi).
  ///
  /// Scores add in jieba's order, previous + transition + emission, and ties go to the
  /// alphabetically larger state, so the path matches jieba 0.42.1 exactly, even where
  /// `missingScore` swamps the other terms.
  func decode(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> [UInt8] {
    let length = range.count
    var backPointers = [UInt8](repeating: 0, count: length * 4)
    var scores = (0.0, 0.0, 0.0, 0.0)
    let first = scalars[range.lowerBound]
    for state in 0..<4 {
      setScore(&scores, state, start[state] + emissionScore(first, state))
    }
    if length > 1 {
      for offset in 1..<length {
        let scalar = scalars[range.lowerBound + offset]
        var nextScores = (0.0, 0.0, 0.0, 0.0)
        for state in 0..<4 {
          let emitted = emissionScore(scalar, state)
          let (first, second) = Self.predecessors[state]
          let viaFirst = score(scores, first) + transition[first * 4 + state] + emitted
          let viaSecond = score(scores, second) + transition[second * 4 + state] + emitted
          let previous: Int
          if viaFirst > viaSecond {
            previous = first
          } else if viaSecond > viaFirst {
            previous = second
          } else {
            previous = max(first, second)
          }
          setScore(&nextScores, state, previous == first ? viaFirst : viaSecond)
          backPointers[offset * 4 + state] = UInt8(previous)
        }
        scores = nextScores
      }
    }
    var state = score(scores, Self.end) > score(scores, Self.single) ? Self.end : Self.single
    var tags = [UInt8](repeating: 0, count: length)
    var offset = length - 1
    while true {
      tags[offset] = UInt8(state)
      if offset == 0 { break }
      state = Int(backPointers[offset * 4 + state])
      offset -= 1
    }
    return tags
  }

  @inline(__always)
  private func emissionScore(_ scalar: UInt32, _ state: Int) -> Double {
    let index = scalar &- Self.hanFirst
    if index > Self.hanLast - Self.hanFirst { return missingScore }
    return emission[Int(index) * 4 + state]
  }

  @inline(__always)
  private func score(_ scores: (Double, Double, Double, Double), _ state: Int) -> Double {
    switch state {
    case 0: return scores.0
    case 1: return scores.1
    case 2: return scores.2
    default: return scores.3
    }
  }

  @inline(__always)
  private func setScore(_ scores: inout (Double, Double, Double, Double), _ state: Int, _ value: Double) {
    switch state {
    case 0: scores.0 = value
    case 1: scores.1 = value
    case 2: scores.2 = value
    default: scores.3 = value
    }
  }
}
