import Foundation
import ShenzhouData

/// Stand-in encoder for tests: one token per non-whitespace scalar, looked up in a BERT vocabulary
/// file, with `##` forms for letters and digits that continue a Latin word.
///
/// It exists so the pipeline can be tested before the WordPiece tokenizer is available; its ids match
/// BERT's for Chinese characters, which the BERT tokenizer also splits one per token.
struct CharacterVocabularyEncoder: PretrainingTextEncoder {
  let vocabulary: VocabularyDescription
  let ids: [String: Int32]

  init(vocabularyPath: String) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: vocabularyPath))
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    var table: [String: Int32] = [:]
    for (index, line) in lines.enumerated() where !line.isEmpty {
      let token = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
      if table[token] == nil { table[token] = Int32(index) }
    }
    ids = table
    let count = lines.last?.isEmpty == true ? lines.count - 1 : lines.count
    vocabulary = VocabularyDescription(
      size: count, sha256: SHA256.hexDigest(of: [UInt8](data)),
      specialTokens: SpecialTokenIDs(
        padding: table["[PAD]"] ?? 0, unknown: table["[UNK]"] ?? 100, classification: table["[CLS]"] ?? 101,
        separator: table["[SEP]"] ?? 102, mask: table["[MASK]"] ?? 103))
  }

  func encode(sentence: String, words: [Range<Int>]?) -> EncodedSentence {
    var tokens: [SubwordToken] = []
    var previousWasLatin = false
    for (offset, scalar) in sentence.unicodeScalars.enumerated() {
      if scalar.properties.isWhitespace {
        previousWasLatin = false
        continue
      }
      let text = String(scalar).lowercased()
      let isLatin = scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
      let continues = isLatin && previousWasLatin
      let id = (continues ? ids["##" + text] : ids[text]) ?? vocabulary.specialTokens.unknown
      tokens.append(SubwordToken(id: id, scalarRange: offset..<(offset + 1), continuesWord: continues))
      previousWasLatin = isLatin
    }
    return EncodedSentence(
      tokenIDs: tokens.map(\.id), wordStarts: WordAlignment.wordStarts(of: tokens, words: words))
  }
}
