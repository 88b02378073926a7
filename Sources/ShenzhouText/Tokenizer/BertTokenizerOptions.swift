/// Settings of a BERT WordPiece tokenizer, named after their Hugging Face counterparts.
public struct BertTokenizerOptions: Sendable, Hashable {
  /// Lowercase the text (`do_lower_case`, normalizer `lowercase`).
  public var lowercase = true
  /// Remove accents by canonical decomposition and dropping nonspacing marks (`strip_accents`).
  /// Nil follows `lowercase`.
  public var stripAccents: Bool? = nil
  /// Surround CJK ideographs with spaces so that each becomes its own word
  /// (`tokenize_chinese_chars`, normalizer `handle_chinese_chars`).
  public var tokenizeChineseChars = true
  /// Drop control and format characters and map whitespace to spaces (normalizer `clean_text`).
  public var cleanText = true
  /// Words with more scalars than this become a single unknown token.
  public var maxInputCharsPerWord = 100
  /// Prefix of vocabulary entries that continue a word.
  public var continuationPrefix = "##"
  public var unkToken = "[UNK]"
  public var clsToken = "[CLS]"
  public var sepToken = "[SEP]"
  public var padToken = "[PAD]"
  public var maskToken = "[MASK]"
  /// Tokens matched whole before WordPiece, in addition to the five tokens above.
  public var addedTokens: [AddedToken] = []
  /// Default `maxLength` for truncation when a call passes none (`model_max_length`).
  public var modelMaxLength: Int? = nil

  public init() {}

  /// Whether accents are stripped once `stripAccents` and `lowercase` are combined.
  public var effectiveStripAccents: Bool { stripAccents ?? lowercase }
}
