import Foundation

// MARK: - Loading a model directory

extension BertTokenizer {
  /// Loads a tokenizer from a Hugging Face model directory.
  ///
  /// The vocabulary comes from `vocab.txt`, or from `model.vocab` of `tokenizer.json` when there is
  /// no `vocab.txt`. Each setting comes from the first file that has it:
  /// 1. `tokenizer_config.json` (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`, the
  ///    special tokens, `added_tokens_decoder`, `model_max_length`), which is what transformers
  ///    `BertTokenizer.from_pretrained` uses;
  /// 2. `special_tokens_map.json` for the special tokens;
  /// 3. `tokenizer.json` (normalizer `lowercase`, `strip_accents`, `handle_chinese_chars`,
  ///    `clean_text`, model `unk_token`, `max_input_chars_per_word`, `continuing_subword_prefix`,
  ///    `added_tokens`), which is what `tokenizers.Tokenizer.from_file` uses;
  /// 4. the defaults of `BertTokenizerOptions`.
  ///
  /// - Throws: `TokenizerError` naming the file and field when a file is unreadable or invalid, when
  ///   neither vocabulary source exists, or when `tokenizer.json` uses a normalizer, pre-tokenizer or
  ///   model other than the BERT ones.
  public static func load(directory: String) throws(TokenizerError) -> BertTokenizer {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw .fileNotReadable(path: directory, reason: "no such directory")
    }
    let base = URL(fileURLWithPath: directory)
    let vocabPath = base.appendingPathComponent("vocab.txt").path
    let tokenizerJSONPath = base.appendingPathComponent("tokenizer.json").path
    let configPath = base.appendingPathComponent("tokenizer_config.json").path
    let specialMapPath = base.appendingPathComponent("special_tokens_map.json").path

    var options = BertTokenizerOptions()
    var entries: [(token: String, id: Int32)]? = nil
    if FileManager.default.fileExists(atPath: vocabPath) {
      entries = try VocabularyFile.read(path: vocabPath)
    }
    if FileManager.default.fileExists(atPath: tokenizerJSONPath) {
      let file = try JSONFile(path: tokenizerJSONPath)
      let modelEntries = try file.applyTokenizerJSON(to: &options, needVocabulary: entries == nil)
      if entries == nil { entries = modelEntries }
    }
    if FileManager.default.fileExists(atPath: specialMapPath) {
      try JSONFile(path: specialMapPath).applySpecialTokens(to: &options)
    }
    if FileManager.default.fileExists(atPath: configPath) {
      try JSONFile(path: configPath).applyTokenizerConfig(to: &options)
    }
    guard let entries else {
      throw .fileNotReadable(
        path: directory,
        reason: "neither vocab.txt nor tokenizer.json exists; save the tokenizer with save_pretrained")
    }
    let source = FileManager.default.fileExists(atPath: vocabPath) ? vocabPath : tokenizerJSONPath
    return try BertTokenizer(vocabularyEntries: entries, options: options, source: source)
  }
}

// MARK: - JSON values

/// A JSON value with booleans kept apart from numbers, which `JSONSerialization` on Linux does not do.
enum JSONValue: Decodable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// Short rendering for error messages.
  var summary: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return String(value)
    case .number(let value): return String(value)
    case .string(let value): return "\"\(value.prefix(40))\""
    case .array(let items): return "an array of \(items.count) items"
    case .object(let fields): return "an object with \(fields.count) fields"
    }
  }

  var typeName: String {
    if case .object(let fields) = self, case .string(let name)? = fields["type"] { return "\"\(name)\"" }
    return "without a type"
  }
}

// MARK: - JSON files

/// A parsed JSON object with the path it came from, for error messages.
struct JSONFile {
  typealias Object = [String: JSONValue]

  let path: String
  let root: Object

  init(path: String) throws(TokenizerError) {
    self.path = path
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .fileNotReadable(path: path, reason: VocabularyFile.describe(error))
    }
    let parsed: JSONValue
    do {
      parsed = try JSONDecoder().decode(JSONValue.self, from: data)
    } catch {
      throw .invalidFile(path: path, location: "top level", reason: "not valid JSON (\(error))")
    }
    guard case .object(let object) = parsed else {
      throw .invalidFile(path: path, location: "top level", reason: "expected a JSON object")
    }
    root = object
  }

  // MARK: Typed fields

  private func invalid(_ field: String, _ expected: String, _ value: JSONValue?) -> TokenizerError {
    .invalidFile(
      path: path, location: "field \(field)",
      reason: "expected \(expected), found \(value?.summary ?? "nothing")")
  }

  func bool(_ object: Object, _ key: String, field: String) throws(TokenizerError) -> Bool? {
    switch object[key] {
    case nil, .null?: return nil
    case .bool(let value)?: return value
    case let other: throw invalid(field, "true or false", other)
    }
  }

  /// Reads an integer and clamps values beyond `Int32.max` to it.
  func integer(_ object: Object, _ key: String, field: String) throws(TokenizerError) -> Int? {
    switch object[key] {
    case nil, .null?: return nil
    case .number(let value)? where value.rounded() == value:
      return value >= Double(Int32.max) ? Int(Int32.max) : Int(value)
    case let other: throw invalid(field, "an integer", other)
    }
  }

  func string(_ object: Object, _ key: String, field: String) throws(TokenizerError) -> String? {
    switch object[key] {
    case nil, .null?: return nil
    case .string(let value)?: return value
    case let other: throw invalid(field, "a string", other)
    }
  }

  /// Reads a token given as a string or as an object with `content` (transformers `AddedToken`).
  func tokenContent(_ object: Object, _ key: String) throws(TokenizerError) -> String? {
    switch object[key] {
    case nil, .null?: return nil
    case .string(let value)?: return value
    case .object(let nested)? where nested["content"] != nil:
      return try string(nested, "content", field: "\(key).content")
    case let other: throw invalid(key, "a token string or an object with \"content\"", other)
    }
  }

  /// Reads an added-token description with the fields of Hugging Face `AddedToken`.
  func addedToken(_ object: Object, id: Int32?, field: String) throws(TokenizerError) -> AddedToken {
    guard let content = try string(object, "content", field: "\(field).content") else {
      throw invalid("\(field).content", "a string", nil)
    }
    if try bool(object, "single_word", field: "\(field).single_word") == true {
      throw .unsupported(
        path: path, feature: "\(field) \"\(content)\" sets single_word, which is not implemented")
    }
    let special = try bool(object, "special", field: "\(field).special") ?? false
    return AddedToken(
      content, id: id, special: special,
      normalized: try bool(object, "normalized", field: "\(field).normalized") ?? !special,
      lstrip: try bool(object, "lstrip", field: "\(field).lstrip") ?? false,
      rstrip: try bool(object, "rstrip", field: "\(field).rstrip") ?? false)
  }

  // MARK: tokenizer.json

  /// Applies the settings of a `tokenizer.json` and returns its vocabulary when `needVocabulary`.
  func applyTokenizerJSON(
    to options: inout BertTokenizerOptions, needVocabulary: Bool
  ) throws(TokenizerError) -> [(token: String, id: Int32)]? {
    switch root["normalizer"] {
    case nil, .null?:
      break
    case .object(let object)? where object["type"] == .string("BertNormalizer"):
      options.lowercase = try bool(object, "lowercase", field: "normalizer.lowercase") ?? true
      options.stripAccents = try bool(object, "strip_accents", field: "normalizer.strip_accents")
      options.tokenizeChineseChars =
        try bool(object, "handle_chinese_chars", field: "normalizer.handle_chinese_chars") ?? true
      options.cleanText = try bool(object, "clean_text", field: "normalizer.clean_text") ?? true
    case let other?:
      throw .unsupported(
        path: path, feature: "normalizer \(other.typeName); only BertNormalizer is implemented")
    }
    switch root["pre_tokenizer"] {
    case nil, .null?:
      break
    case .object(let object)? where object["type"] == .string("BertPreTokenizer"):
      break
    case let other?:
      throw .unsupported(
        path: path, feature: "pre_tokenizer \(other.typeName); only BertPreTokenizer is implemented")
    }
    guard case .object(let model)? = root["model"] else {
      throw invalid("model", "an object", root["model"])
    }
    guard model["type"] == .string("WordPiece") else {
      throw .unsupported(
        path: path, feature: "model \(JSONValue.object(model).typeName); only WordPiece is implemented")
    }
    if let unk = try string(model, "unk_token", field: "model.unk_token") { options.unkToken = unk }
    if let prefix = try string(
      model, "continuing_subword_prefix", field: "model.continuing_subword_prefix")
    {
      options.continuationPrefix = prefix
    }
    if let limit = try integer(
      model, "max_input_chars_per_word", field: "model.max_input_chars_per_word")
    {
      options.maxInputCharsPerWord = limit
    }

    switch root["added_tokens"] {
    case nil, .null?:
      break
    case .array(let items)?:
      for (index, item) in items.enumerated() {
        let field = "added_tokens[\(index)]"
        guard case .object(let object) = item else { throw invalid(field, "an object", item) }
        guard let id = try integer(object, "id", field: "\(field).id"), id >= 0 else {
          throw invalid("\(field).id", "a non-negative integer", object["id"])
        }
        options.addedTokens.append(try addedToken(object, id: Int32(id), field: field))
      }
    case let other?:
      throw invalid("added_tokens", "an array", other)
    }

    guard needVocabulary else { return nil }
    guard case .object(let vocab)? = model["vocab"] else {
      throw invalid("model.vocab", "an object mapping tokens to ids", model["vocab"])
    }
    var entries: [(token: String, id: Int32)] = []
    entries.reserveCapacity(vocab.count)
    for (token, value) in vocab {
      guard case .number(let number) = value, number.rounded() == number, number >= 0,
        number < Double(Int32.max)
      else {
        throw invalid("model.vocab[\"\(token)\"]", "a non-negative integer id", value)
      }
      entries.append((token, Int32(number)))
    }
    guard !entries.isEmpty else {
      throw .invalidFile(path: path, location: "field model.vocab", reason: "the vocabulary is empty")
    }
    // Sorting makes the choice among tokens that share an id independent of dictionary order.
    entries.sort { ($0.id, $0.token) < ($1.id, $1.token) }
    return entries
  }

  // MARK: tokenizer_config.json and special_tokens_map.json

  func applySpecialTokens(to options: inout BertTokenizerOptions) throws(TokenizerError) {
    if let token = try tokenContent(root, "unk_token") { options.unkToken = token }
    if let token = try tokenContent(root, "cls_token") { options.clsToken = token }
    if let token = try tokenContent(root, "sep_token") { options.sepToken = token }
    if let token = try tokenContent(root, "pad_token") { options.padToken = token }
    if let token = try tokenContent(root, "mask_token") { options.maskToken = token }
    for key in ["additional_special_tokens", "extra_special_tokens"] {
      switch root[key] {
      case nil, .null?:
        continue
      case .array(let items)?:
        for (index, item) in items.enumerated() {
          switch item {
          case .string(let content):
            options.addedTokens.append(AddedToken(content, special: true))
          case .object(let object):
            var token = try addedToken(object, id: nil, field: "\(key)[\(index)]")
            token.special = true
            options.addedTokens.append(token)
          default:
            throw invalid("\(key)[\(index)]", "a token string or object", item)
          }
        }
      case .object(let named)? where key == "extra_special_tokens":
        // transformers 5 may store named extra special tokens as {"name": "token"}.
        for (name, item) in named.sorted(by: { $0.key < $1.key }) {
          guard case .string(let content) = item else {
            throw invalid("\(key).\(name)", "a token string", item)
          }
          options.addedTokens.append(AddedToken(content, special: true))
        }
      case let other?:
        throw invalid(key, "an array", other)
      }
    }
  }

  func applyTokenizerConfig(to options: inout BertTokenizerOptions) throws(TokenizerError) {
    if let value = try bool(root, "do_lower_case", field: "do_lower_case") { options.lowercase = value }
    if root.keys.contains("strip_accents") {
      options.stripAccents = try bool(root, "strip_accents", field: "strip_accents")
    }
    if let value = try bool(root, "tokenize_chinese_chars", field: "tokenize_chinese_chars") {
      options.tokenizeChineseChars = value
    }
    if let value = try integer(root, "model_max_length", field: "model_max_length") {
      // transformers writes int(1e30) when the model has no limit.
      options.modelMaxLength = value >= Int(Int32.max) ? nil : value
    }
    try applySpecialTokens(to: &options)
    switch root["added_tokens_decoder"] {
    case nil, .null?:
      break
    case .object(let table)?:
      for (key, value) in table.sorted(by: { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }) {
        let field = "added_tokens_decoder[\"\(key)\"]"
        guard let id = Int32(key), id >= 0 else {
          throw invalid(field, "a non-negative integer key", .string(key))
        }
        guard case .object(let object) = value else { throw invalid(field, "an object", value) }
        options.addedTokens.append(try addedToken(object, id: id, field: field))
      }
    case let other?:
      throw invalid("added_tokens_decoder", "an object keyed by token id", other)
    }
  }
}
