import Foundation

/// Builds a character-level WordPiece vocabulary from raw text, for corpora that come without a vocabulary.
///
/// Every CJK character and punctuation mark becomes a token; other words (Latin letters, digits) contribute their
/// first character as a token and every later character as a `##` continuation, so any word the corpus contains
/// tokenizes without [UNK]. Text is lowercased as an uncased BERT tokenizer does. The result starts with
/// [PAD], [UNK], [CLS], [SEP], [MASK], then tokens by descending count (ties in code-point order).
public struct VocabularyBuilder: Sendable {
  public static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

  public var counts: [String: Int] = [:]
  /// Strip `/tag` suffixes from whitespace-separated tokens (People's Daily style `迈向/v`).
  public var stripsPartOfSpeechTags: Bool

  public init(stripsPartOfSpeechTags: Bool = false) {
    self.stripsPartOfSpeechTags = stripsPartOfSpeechTags
  }

  public mutating func add(line: String) {
    for rawToken in line.split(whereSeparator: { $0.isWhitespace }) {
      var token = Substring(rawToken)
      if stripsPartOfSpeechTags, let slash = token.lastIndex(of: "/"), slash != token.startIndex {
        token = token[..<slash]
        if token.first == "[" { token = token.dropFirst() }
      }
      addWords(of: token.lowercased())
    }
  }

  private mutating func addWords(of text: String) {
    var word: [Unicode.Scalar] = []
    func flush() {
      for (index, scalar) in word.enumerated() {
        counts[(index == 0 ? "" : "##") + String(scalar), default: 0] += 1
      }
      word.removeAll(keepingCapacity: true)
    }
    for scalar in text.unicodeScalars {
      if Self.standsAlone(scalar) {
        flush()
        counts[String(scalar), default: 0] += 1
      } else if scalar.properties.isWhitespace || scalar.value < 0x20 {
        flush()
      } else {
        word.append(scalar)
      }
    }
    flush()
  }

  /// CJK ideographs and punctuation are split into single tokens by the BERT pre-tokenizer.
  static func standsAlone(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    let cjk =
      (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
      || (0x2A700...0x2B73F).contains(value) || (0x2B740...0x2B81F).contains(value)
      || (0x2B820...0x2CEAF).contains(value) || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    if cjk { return true }
    if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value) || (123...126).contains(value) {
      return true
    }
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default:
      return false
    }
  }

  /// The vocabulary: special tokens, then tokens seen at least `minCount` times, at most `maxSize` entries in all.
  public func vocabulary(minCount: Int = 1, maxSize: Int = 30_000) -> [String] {
    let ranked = counts.filter { $0.value >= minCount && !Self.specialTokens.contains($0.key) }
      .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
    return Self.specialTokens + ranked.prefix(Swift.max(0, maxSize - Self.specialTokens.count)).map(\.key)
  }
}
