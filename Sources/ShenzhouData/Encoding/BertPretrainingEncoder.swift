import Foundation
import ShenzhouText

// MARK: - WordPiece encoder

/// Pretraining encoder built on ShenzhouText's `BertTokenizer` and, optionally, its jieba-compatible
/// `ChineseSegmenter` for whole-word boundaries.
///
/// A token starts a word unless it is a `##` piece or begins inside a segmenter word, as
/// `WordAlignment` describes. Without a segmenter every Chinese character is its own word, because
/// the BERT tokenizer splits CJK text into single characters.
public struct BertPretrainingEncoder: PretrainingTextEncoder {
  public let tokenizer: BertTokenizer
  public let segmenter: ChineseSegmenter?
  public let vocabulary: VocabularyDescription
  public let wordSegmentation: String
  /// Per id: true for `##` continuation pieces.
  private let isContinuation: [Bool]

  /// - Parameters:
  ///   - vocabularySHA256: checksum of the vocabulary file, recorded in the manifest so that the
  ///     loader can reject a corpus prepared with another vocabulary.
  ///   - segmentationDescription: how the segmenter was configured, recorded in the manifest.
  public init(
    tokenizer: BertTokenizer, vocabularySHA256: String, segmenter: ChineseSegmenter? = nil,
    segmentationDescription: String = "jieba"
  ) {
    self.tokenizer = tokenizer
    self.segmenter = segmenter
    wordSegmentation = segmenter == nil ? "none" : segmentationDescription
    vocabulary = VocabularyDescription(
      size: tokenizer.vocabularySize, sha256: vocabularySHA256,
      specialTokens: SpecialTokenIDs(
        padding: tokenizer.padTokenID, unknown: tokenizer.unkTokenID, classification: tokenizer.clsTokenID,
        separator: tokenizer.sepTokenID, mask: tokenizer.maskTokenID))
    let prefix = tokenizer.options.continuationPrefix
    isContinuation = (0..<tokenizer.vocabularySize).map { id in
      tokenizer.token(forID: Int32(id))?.hasPrefix(prefix) == true && !tokenizer.specialTokenIDs.contains(Int32(id))
    }
  }

  /// Loads the tokenizer from a `vocab.txt` file.
  public static func load(vocabularyFile: String, segmenter: ChineseSegmenter? = nil, segmentationDescription: String = "jieba")
    throws -> BertPretrainingEncoder
  {
    let tokenizer = try BertTokenizer(vocabFile: vocabularyFile)
    return BertPretrainingEncoder(
      tokenizer: tokenizer, vocabularySHA256: try fileSHA256(vocabularyFile), segmenter: segmenter,
      segmentationDescription: segmentationDescription)
  }

  /// Loads the tokenizer from a Hugging Face model directory. The checksum covers `vocab.txt`, or
  /// `tokenizer.json` when the directory has no `vocab.txt`.
  public static func load(modelDirectory: String, segmenter: ChineseSegmenter? = nil, segmentationDescription: String = "jieba")
    throws -> BertPretrainingEncoder
  {
    let tokenizer = try BertTokenizer.load(directory: modelDirectory)
    let vocabularyPath = modelDirectory + "/vocab.txt"
    let checksummed =
      FileManager.default.fileExists(atPath: vocabularyPath) ? vocabularyPath : modelDirectory + "/tokenizer.json"
    return BertPretrainingEncoder(
      tokenizer: tokenizer, vocabularySHA256: try fileSHA256(checksummed), segmenter: segmenter,
      segmentationDescription: segmentationDescription)
  }

  public func encode(sentence: String, words: [Range<Int>]?) throws -> EncodedSentence {
    let encoding = try tokenizer.encode(sentence, addSpecialTokens: false)
    var tokens: [SubwordToken] = []
    tokens.reserveCapacity(encoding.count)
    for index in 0..<encoding.count {
      let id = encoding.ids[index]
      let continues = id >= 0 && Int(id) < isContinuation.count && isContinuation[Int(id)]
      tokens.append(SubwordToken(id: id, scalarRange: encoding.offsets[index], continuesWord: continues))
    }
    let segmentation = words ?? segmenter?.cut(sentence)
    return EncodedSentence(tokenIDs: encoding.ids, wordStarts: WordAlignment.wordStarts(of: tokens, words: segmentation))
  }

  /// Returns the SHA-256 of a file's bytes as lowercase hexadecimal.
  public static func fileSHA256(_ path: String) throws -> String {
    do {
      return try FileDigest.sha256(path: path)
    } catch {
      throw PreparationError.inputUnreadable(path: path, reason: "computing its checksum failed: \(error.reason)")
    }
  }
}

// MARK: - Segmenter conformance

extension ChineseSegmenter: WordSegmenting {
  public func wordRanges(in text: String) -> [Range<Int>] {
    cut(text)
  }

  public var segmentationDescription: String { "jieba" }
}
