/// BERT WordPiece tokenizer that reproduces Hugging Face `BertTokenizerFast` (tokenizers 0.23.3):
/// the same token ids and the same offsets, counted in Unicode scalars of the original text
/// (Python `str` indices).
///
/// The value is immutable and `Sendable`, so one instance can serve many threads. Create it from a
/// `vocab.txt` with `init(vocabFile:options:)` or from a Hugging Face model directory with
/// `load(directory:)`.
public struct BertTokenizer: Sendable {
  public let options: BertTokenizerOptions
  let vocabulary: WordPieceVocabulary
  let normalizer: BertNormalizer
  let addedTokenMatcher: AddedTokenMatcher
  /// Content of each added token by id; it takes precedence over the vocabulary entry with that id.
  let addedContents: [Int32: String]
  /// Ids of special tokens, which `decode(_:skipSpecialTokens:)` can drop.
  public let specialTokenIDs: Set<Int32>

  public let unkTokenID: Int32
  public let clsTokenID: Int32
  public let sepTokenID: Int32
  public let padTokenID: Int32
  public let maskTokenID: Int32

  /// Creates a tokenizer from a `vocab.txt` file: one token per line, the line number is the id.
  public init(vocabFile: String, options: BertTokenizerOptions = BertTokenizerOptions()) throws(TokenizerError) {
    let entries = try VocabularyFile.read(path: vocabFile)
    try self.init(vocabularyEntries: entries, options: options, source: vocabFile)
  }

  /// Creates a tokenizer from `(token, id)` pairs. `source` names the origin of the entries in errors.
  init(
    vocabularyEntries entries: [(token: String, id: Int32)], options: BertTokenizerOptions,
    source: String
  ) throws(TokenizerError) {
    guard options.maxInputCharsPerWord > 0 else {
      throw .invalidOptions(
        "maxInputCharsPerWord is \(options.maxInputCharsPerWord); use a positive value such as 100")
    }
    guard !options.continuationPrefix.isEmpty else {
      throw .invalidOptions("continuationPrefix is empty; BERT vocabularies use \"##\"")
    }
    let vocabulary = WordPieceVocabulary(
      entries: entries, continuationPrefix: options.continuationPrefix)
    guard let unkID = vocabulary.ids[options.unkToken] else {
      throw .invalidFile(
        path: source, location: "vocabulary",
        reason: "the unknown token \"\(options.unkToken)\" is missing; add it or set unkToken")
    }
    let normalizer = BertNormalizer(
      cleanText: options.cleanText, handleChineseChars: options.tokenizeChineseChars,
      stripAccents: options.effectiveStripAccents, lowercase: options.lowercase)

    // The five named special tokens come first so that an explicit added token with the same
    // content (for example from tokenizer.json, with its own flags) replaces them. Their order is
    // the one in which transformers assigns new ids to those missing from the vocabulary.
    var added: [AddedToken] = [
      options.unkToken, options.sepToken, options.padToken, options.clsToken, options.maskToken,
    ].map { AddedToken($0, special: true, normalized: false) }
    added.append(contentsOf: options.addedTokens)

    // New ids follow the rule of the tokenizers added vocabulary: the number of distinct vocabulary
    // tokens, or one past the largest added id when that is larger. With duplicate lines in
    // vocab.txt the first new id can therefore shadow an existing one, as it does in Hugging Face.
    var nextID = Int32(vocabulary.count)
    for token in options.addedTokens {
      if let id = token.id { nextID = max(nextID, id + 1) }
    }
    var idsByContent: [String: Int32] = [:]
    var finalTokens: [String: AddedToken] = [:]
    var order: [String] = []
    for token in added where !token.content.isEmpty {
      if finalTokens[token.content] == nil { order.append(token.content) }
      finalTokens[token.content] = token
    }
    var addedContents: [Int32: String] = [:]
    var matcher = AddedTokenMatcher()
    var specialIDs = Set<Int32>()
    for content in order {
      guard let token = finalTokens[content] else { continue }
      let id: Int32
      if let explicit = token.id {
        id = explicit
      } else if let known = vocabulary.ids[content] {
        id = known
      } else {
        id = nextID
      }
      nextID = max(nextID, id + 1)
      idsByContent[content] = id
      addedContents[id] = content
      if token.special { specialIDs.insert(id) }
      if token.normalized {
        var collector = ScalarCollector()
        for (index, scalar) in content.unicodeScalars.enumerated() {
          normalizer.normalize(scalar.value, origin: Int32(index), into: &collector)
        }
        matcher.addNormalized(collector.scalars, id: id)
      } else {
        matcher.addRaw(content, id: id, lstrip: token.lstrip, rstrip: token.rstrip)
      }
    }

    self.options = options
    self.vocabulary = vocabulary
    self.normalizer = normalizer
    self.addedTokenMatcher = matcher
    self.addedContents = addedContents
    self.specialTokenIDs = specialIDs
    self.unkTokenID = unkID
    self.clsTokenID = idsByContent[options.clsToken] ?? unkID
    self.sepTokenID = idsByContent[options.sepToken] ?? unkID
    self.padTokenID = idsByContent[options.padToken] ?? unkID
    self.maskTokenID = idsByContent[options.maskToken] ?? unkID
  }

  // MARK: - Vocabulary

  /// Number of ids, including added tokens outside the vocabulary file.
  public var vocabularySize: Int {
    max(vocabulary.tokens.count, Int(addedContents.keys.max() ?? -1) + 1)
  }

  /// Returns the token string of `id`, or nil when no token has that id.
  ///
  /// NOTE: for an added token with `normalized: true`, transformers 5.25 returns the normalized
  /// content (for example " 新  词 " for 新词); this returns the content as given.
  public func token(forID id: Int32) -> String? {
    if let content = addedContents[id] { return content }
    guard id >= 0 && Int(id) < vocabulary.tokens.count else { return nil }
    return vocabulary.tokens[Int(id)]
  }

  /// Returns the id of a token string, or nil when it is neither in the vocabulary nor added.
  public func id(forToken token: String) -> Int32? {
    if let id = addedContents.first(where: { $0.value == token })?.key { return id }
    return vocabulary.ids[token]
  }
}

/// Collects normalized scalars, for normalizing the content of added tokens.
struct ScalarCollector: NormalizedScalarSink {
  var scalars: [UInt32] = []
  var flags: [BertCharacterFlags] = []
  var origins: [Int32] = []

  mutating func feed(_ scalar: UInt32, flags: BertCharacterFlags, origin: Int32) {
    scalars.append(scalar)
    self.flags.append(flags)
    origins.append(origin)
  }

  mutating func feedSpace(origin: Int32) {
    feed(0x20, flags: .whitespace, origin: origin)
  }

  mutating func removeAll() {
    scalars.removeAll(keepingCapacity: true)
    flags.removeAll(keepingCapacity: true)
    origins.removeAll(keepingCapacity: true)
  }
}
