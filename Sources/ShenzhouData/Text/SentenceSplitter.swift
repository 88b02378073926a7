// MARK: - Sentence splitter

/// Splits text into sentences at Chinese and Western sentence-ending punctuation.
///
/// A sentence ends after a run of terminators (。！？；… ｡ and ASCII ! ?) together with any closing
/// quotes or brackets that follow (” ’ 」 』 ） 》 〉 】 " ' and so on). A run of ASCII periods ends a
/// sentence only when whitespace, a CJK character or the end of the text follows it, so that "3.14"
/// and "example.com" stay whole. Abbreviations such as "Mr. Smith" do split, because telling them
/// from sentence ends needs a language model of English. Leading and trailing whitespace is trimmed
/// and empty sentences are dropped.
public enum SentenceSplitter {
  /// Returns the sentences of `scalars` as ranges of scalar offsets, in order.
  public static func sentenceRanges(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
    scalars.withUnsafeBufferPointer { sentenceRanges(in: $0) }
  }

  /// Returns the sentences of `scalars` as ranges of scalar offsets, in order.
  public static func sentenceRanges(in scalars: UnsafeBufferPointer<Unicode.Scalar>) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    let count = scalars.count
    var sentenceStart = 0
    var index = 0
    while index < count {
      let value = scalars[index].value
      guard isTerminator(value) || value == 0x2e else {
        index += 1
        continue
      }
      var end = index + 1
      var onlyPeriods = value == 0x2e
      while end < count, isTerminator(scalars[end].value) || scalars[end].value == 0x2e {
        if scalars[end].value != 0x2e { onlyPeriods = false }
        end += 1
      }
      while end < count, isClosingPunctuation(scalars[end].value) {
        end += 1
      }
      if onlyPeriods, end < count {
        let next = scalars[end].value
        guard isWhitespace(next) || isCJK(next) else {
          index = end
          continue
        }
      }
      appendTrimmed(sentenceStart..<end, of: scalars, to: &ranges)
      sentenceStart = end
      index = end
    }
    appendTrimmed(sentenceStart..<count, of: scalars, to: &ranges)
    return ranges
  }

  // MARK: - Character classes

  @inline(__always)
  static func isTerminator(_ value: UInt32) -> Bool {
    switch value {
    case 0x3002,  // 。
      0xff01,  // ！
      0xff1f,  // ？
      0xff1b,  // ；
      0x2026,  // …
      0xff61,  // ｡ halfwidth ideographic full stop
      0x21,  // !
      0x3f:  // ?
      return true
    default:
      return false
    }
  }

  @inline(__always)
  static func isClosingPunctuation(_ value: UInt32) -> Bool {
    switch value {
    case 0x201d, 0x2019, 0x300d, 0x300f, 0xff09, 0x300b, 0x3009, 0x3011, 0x3015, 0x3017, 0xff3d, 0xff63,
      0x22, 0x27, 0x29, 0x5d, 0xbb, 0x203a:
      return true
    default:
      return false
    }
  }

  @inline(__always)
  static func isWhitespace(_ value: UInt32) -> Bool {
    switch value {
    case 0x09...0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000...0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
      0xfeff:
      return true
    default:
      return false
    }
  }

  /// CJK ideographs and CJK punctuation, after which a period ends a sentence.
  @inline(__always)
  static func isCJK(_ value: UInt32) -> Bool {
    switch value {
    case 0x3000...0x303f, 0x3400...0x4dbf, 0x4e00...0x9fff, 0xf900...0xfaff, 0xff00...0xffef,
      0x20000...0x2ffff:
      return true
    default:
      return false
    }
  }

  private static func appendTrimmed(
    _ range: Range<Int>, of scalars: UnsafeBufferPointer<Unicode.Scalar>, to ranges: inout [Range<Int>]
  ) {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper, isWhitespace(scalars[lower].value) { lower += 1 }
    while upper > lower, isWhitespace(scalars[upper - 1].value) { upper -= 1 }
    if lower < upper { ranges.append(lower..<upper) }
  }
}
