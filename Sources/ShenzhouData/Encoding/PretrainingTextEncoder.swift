// MARK: - Vocabulary description

/// Ids of the special tokens that packing inserts and masking never selects.
public struct SpecialTokenIDs: Codable, Equatable, Hashable, Sendable {
  public var padding: Int32
  public var unknown: Int32
  public var classification: Int32
  public var separator: Int32
  public var mask: Int32

  public init(padding: Int32, unknown: Int32, classification: Int32, separator: Int32, mask: Int32) {
    self.padding = padding
    self.unknown = unknown
    self.classification = classification
    self.separator = separator
    self.mask = mask
  }

  /// The ids of the original BERT Chinese vocabulary: [PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103.
  public static let bertChinese = SpecialTokenIDs(
    padding: 0, unknown: 100, classification: 101, separator: 102, mask: 103)

  /// All five ids.
  public var all: [Int32] { [padding, unknown, classification, separator, mask] }
}

/// Vocabulary facts that a prepared corpus records and that the loader checks.
public struct VocabularyDescription: Codable, Equatable, Sendable {
  /// Number of token ids; every id is in `0..<size`.
  public var size: Int
  /// Lowercase hexadecimal SHA-256 of the vocabulary file's bytes.
  public var sha256: String
  public var specialTokens: SpecialTokenIDs

  public init(size: Int, sha256: String, specialTokens: SpecialTokenIDs) {
    self.size = size
    self.sha256 = sha256
    self.specialTokens = specialTokens
  }
}

// MARK: - Encoder protocol

/// Token ids of one sentence with whole-word information.
public struct EncodedSentence: Sendable, Equatable {
  public var tokenIDs: [Int32]
  /// Per token: true when the token starts a word, false when it continues the previous token's word.
  public var wordStarts: [Bool]

  public init(tokenIDs: [Int32], wordStarts: [Bool]) {
    precondition(tokenIDs.count == wordStarts.count, "EncodedSentence needs one word-start flag per token")
    self.tokenIDs = tokenIDs
    self.wordStarts = wordStarts
  }
}

/// Turns one sentence into token ids and word-start flags for corpus preparation.
///
/// Implementations must be thread-safe, because preparation calls `encode` from several worker threads
/// at once, and deterministic, because shards must not depend on the thread count.
public protocol PretrainingTextEncoder: Sendable {
  var vocabulary: VocabularyDescription { get }

  /// Description of the word segmentation that `encode` applies when it gets no gold words, recorded
  /// in the manifest: for example "none" or "jieba, dictionary dict.txt sha256 …".
  var wordSegmentation: String { get }

  /// Encodes `sentence` without special tokens.
  ///
  /// - Parameter words: a gold word segmentation as ranges of Unicode-scalar offsets into
  ///   `sentence`, or nil to let the encoder segment the sentence itself (or not at all).
  /// - Throws: any error of the underlying tokenizer; preparation reports it with the file and line.
  func encode(sentence: String, words: [Range<Int>]?) throws -> EncodedSentence
}

extension PretrainingTextEncoder {
  public var wordSegmentation: String { "none" }
}

// MARK: - Building blocks

/// Subword token with its source span.
public struct SubwordToken: Sendable, Equatable {
  public var id: Int32
  /// Unicode-scalar offsets of the text that produced the token.
  public var scalarRange: Range<Int>
  /// True for a WordPiece continuation (a `##` piece).
  public var continuesWord: Bool

  public init(id: Int32, scalarRange: Range<Int>, continuesWord: Bool) {
    self.id = id
    self.scalarRange = scalarRange
    self.continuesWord = continuesWord
  }
}

/// Subword tokenizer that reports each token's span.
public protocol SubwordTokenizing: Sendable {
  func subwordTokens(in text: String) throws -> [SubwordToken]
}

/// Word segmenter that returns word ranges in Unicode-scalar offsets, sorted and non-overlapping.
public protocol WordSegmenting: Sendable {
  func wordRanges(in text: String) -> [Range<Int>]
  /// Short description for the manifest, such as the dictionary's checksum.
  var segmentationDescription: String { get }
}

/// Encoder built from a subword tokenizer and an optional word segmenter.
///
/// A token starts a word unless it is a `##` piece or it begins strictly inside a word of the
/// segmentation. Gold words passed to `encode` take precedence over the segmenter. Without either, every
/// token that is not a `##` piece is its own word, so Chinese text masks character by character.
public struct SegmentingSubwordEncoder<Tokenizer: SubwordTokenizing>: PretrainingTextEncoder {
  public let tokenizer: Tokenizer
  public let segmenter: (any WordSegmenting)?
  public let vocabulary: VocabularyDescription

  public init(tokenizer: Tokenizer, segmenter: (any WordSegmenting)?, vocabulary: VocabularyDescription) {
    self.tokenizer = tokenizer
    self.segmenter = segmenter
    self.vocabulary = vocabulary
  }

  public var wordSegmentation: String {
    segmenter?.segmentationDescription ?? "none"
  }

  public func encode(sentence: String, words: [Range<Int>]?) throws -> EncodedSentence {
    let tokens = try tokenizer.subwordTokens(in: sentence)
    let segmentation = words ?? segmenter?.wordRanges(in: sentence)
    return EncodedSentence(
      tokenIDs: tokens.map(\.id),
      wordStarts: WordAlignment.wordStarts(of: tokens, words: segmentation))
  }
}

// MARK: - Word alignment

/// Aligns subword tokens with a word segmentation.
public enum WordAlignment {
  /// Returns one flag per token: true when the token starts a word.
  ///
  /// - Parameter words: sorted, non-overlapping word ranges in the same offsets as the tokens, or nil.
  public static func wordStarts(of tokens: [SubwordToken], words: [Range<Int>]?) -> [Bool] {
    var flags: [Bool] = []
    flags.reserveCapacity(tokens.count)
    var wordIndex = 0
    for token in tokens {
      if token.continuesWord {
        flags.append(false)
        continue
      }
      guard let words else {
        flags.append(true)
        continue
      }
      let start = token.scalarRange.lowerBound
      while wordIndex < words.count, words[wordIndex].upperBound <= start {
        wordIndex += 1
      }
      let insideWord = wordIndex < words.count && words[wordIndex].lowerBound < start
      flags.append(!insideWord)
    }
    return flags
  }
}
