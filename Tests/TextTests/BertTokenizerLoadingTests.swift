import Foundation
import Testing

@testable import ShenzhouText

func write(_ text: String, to directory: URL, _ name: String) throws {
  try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
}

func tokenizerError(_ body: () throws -> Void) -> TokenizerError? {
  do {
    try body()
    return nil
  } catch let error as TokenizerError {
    return error
  } catch {
    Issue.record("expected a TokenizerError, got \(error)")
    return nil
  }
}

@Suite(.enabled(if: TestPaths.hasReference, "needs ../shared/data/vocab and .venv with transformers"))
struct BertTokenizerLoadingTests {
  let sampleTexts = hardCases.filter { !knownSlowGaps.contains($0) } + pairTexts

  @Test func tokenizerJSONOnlyDirectoryMatchesTokenizers() throws {
    let directory = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var export = ReferenceRequest()
    export.export = .init(
      directory: directory.path, layout: "tokenizer_json", do_lower_case: false,
      strip_accents: true, added_tokens: [.init(content: "新词", special: false, normalized: false)])
    _ = try Reference.run(export)
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("vocab.txt").path))

    let tokenizer = try BertTokenizer.load(directory: directory.path)
    #expect(tokenizer.options.lowercase == false)
    #expect(tokenizer.options.stripAccents == true)
    var request = ReferenceRequest()
    request.tokenizer = .init(vocab: nil, directory: directory.path, loader: "tokenizers")
    request.texts = sampleTexts + ["新词和旧词"]
    let reference = try Reference.run(request)
    for (index, text) in request.texts.enumerated() {
      if let difference = fastDifference(tokenizer, text, reference.tokens[index]) {
        Issue.record("tokenizer.json only: \(difference)")
      }
    }
  }

  @Test func savePretrainedDirectoryMatchesFromPretrained() throws {
    let directory = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var export = ReferenceRequest()
    export.export = .init(
      directory: directory.path, layout: "save_pretrained", do_lower_case: false,
      added_tokens: [.init(content: "<实体>", special: true, normalized: false)])
    _ = try Reference.run(export)

    let tokenizer = try BertTokenizer.load(directory: directory.path)
    #expect(tokenizer.options.lowercase == false)
    var request = ReferenceRequest()
    request.tokenizer = .init(vocab: nil, directory: directory.path)
    let texts = sampleTexts + ["张三<实体>北京"]
    request.texts = texts
    request.encode = texts.map { .init(text: $0, pair: "第二句", max_length: 24, truncation: "longest_first") }
    let reference = try Reference.run(request)
    for (index, text) in texts.enumerated() {
      if let difference = fastDifference(tokenizer, text, reference.tokens[index]) {
        Issue.record("save_pretrained: \(difference)")
      }
      compare(
        try tokenizer.encode(text, pair: "第二句", maxLength: 24, truncation: .longestFirst),
        reference.encode[index], text.debugDescription)
    }
    #expect(tokenizer.decode(try tokenizer.encode("张三<实体>").ids, skipSpecialTokens: true) == "张 三")
  }

  @Test func vocabTextDirectoryMatchesVocabFile() throws {
    let directory = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(
      atPath: TestPaths.vocab, toPath: directory.appendingPathComponent("vocab.txt").path)
    try write(#"{"do_lower_case": false, "model_max_length": 512}"#, to: directory, "tokenizer_config.json")
    let loaded = try BertTokenizer.load(directory: directory.path)
    #expect(loaded.options.lowercase == false)
    #expect(loaded.options.modelMaxLength == 512)
    let direct = try makeTokenizer(lowercase: false, strip: nil, chinese: true)
    for text in sampleTexts {
      #expect(loaded.tokenize(text) == direct.tokenize(text), "\(text.debugDescription)")
    }
    #expect(try loaded.encode(String(repeating: "长", count: 600), truncation: .longestFirst).count == 512)
  }

  @Test func vocabularyFileQuirksMatchHF() throws {
    let directory = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // CRLF endings, a lone CR inside a line, trailing blanks, a duplicate ("a"), an empty line, and
    // no [CLS] or [MASK], which then get new ids after the vocabulary.
    let text = "[PAD]\n[UNK]\r\n[SEP]\na\r\n##b \t\nhello\r##lo\n##lo\na\nhel\n\nx\ty\u{3000}\n 前\n"
    try write(text, to: directory, "vocab.txt")
    let vocab = directory.appendingPathComponent("vocab.txt").path
    let tokenizer = try BertTokenizer(vocabFile: vocab)
    let texts = ["ab hello helo a bb", "x y 前", "[MASK] hel##lo [CLS]"]
    var request = ReferenceRequest()
    request.tokenizer.vocab = vocab
    request.texts = texts
    request.encode = texts.map { .init(text: $0, pair: "ab") }
    let allIDs = Array(Int32(0)..<Int32(tokenizer.vocabularySize))
    request.decode = [.init(ids: allIDs, skip_special_tokens: false), .init(ids: allIDs, skip_special_tokens: true)]
    let reference = try Reference.run(request)
    for (index, text) in texts.enumerated() {
      if let difference = fastDifference(tokenizer, text, reference.tokens[index]) {
        Issue.record("small vocabulary: \(difference)")
      }
      compare(try tokenizer.encode(text, pair: "ab"), reference.encode[index], text.debugDescription)
    }
    #expect(tokenizer.decode(allIDs) == reference.decode[0])
    #expect(tokenizer.decode(allIDs, skipSpecialTokens: true) == reference.decode[1])
    #expect(tokenizer.vocabularySize == 13)
    #expect(tokenizer.id(forToken: "a") == 7)
    #expect(tokenizer.token(forID: 3) == nil, "the first \"a\" lost its id to the second")
    #expect(tokenizer.token(forID: 4) == "##b")
    #expect(tokenizer.token(forID: 9) == "")
    #expect(tokenizer.token(forID: 10) == "x\ty")
    #expect(tokenizer.clsTokenID == 11, "new ids start at the number of distinct tokens")
    #expect(tokenizer.token(forID: 11) == "[CLS]")
  }
}

@Suite struct BertTokenizerErrorTests {
  let directory: URL

  init() throws {
    directory = try TestPaths.temporaryDirectory()
  }

  func loadError() -> TokenizerError? {
    tokenizerError { _ = try BertTokenizer.load(directory: directory.path) }
  }

  @Test func missingDirectory() {
    let error = tokenizerError { _ = try BertTokenizer.load(directory: directory.path + "-missing") }
    guard case .fileNotReadable(let path, _)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(path.hasSuffix("-missing"))
  }

  @Test func directoryWithoutVocabulary() {
    guard case .fileNotReadable(_, let reason)? = loadError() else {
      Issue.record("expected fileNotReadable")
      return
    }
    #expect(reason.contains("vocab.txt"))
    #expect(reason.contains("tokenizer.json"))
  }

  @Test func missingVocabFile() {
    let error = tokenizerError { _ = try BertTokenizer(vocabFile: directory.path + "/nope.txt") }
    guard case .fileNotReadable(let path, _)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(path.hasSuffix("nope.txt"))
  }

  @Test func invalidUTF8InVocabulary() throws {
    var bytes = Array("[PAD]\n[UNK]\n".utf8)
    bytes += [0x61, 0xFF, 0x62, 0x0A]
    try Data(bytes).write(to: directory.appendingPathComponent("vocab.txt"))
    #expect(loadError() == .invalidFile(
      path: directory.appendingPathComponent("vocab.txt").path, location: "line 3",
      reason: "the line is not valid UTF-8; save the vocabulary as UTF-8"))
  }

  @Test func emptyVocabulary() throws {
    try write("", to: directory, "vocab.txt")
    guard case .invalidFile(_, let location, let reason)? = loadError() else {
      Issue.record("expected invalidFile")
      return
    }
    #expect(location == "line 1")
    #expect(reason.contains("empty"))
  }

  @Test func vocabularyWithoutUnknownToken() throws {
    try write("[PAD]\n[CLS]\n[SEP]\na\n", to: directory, "vocab.txt")
    guard case .invalidFile(let path, _, let reason)? = loadError() else {
      Issue.record("expected invalidFile")
      return
    }
    #expect(path.hasSuffix("vocab.txt"))
    #expect(reason.contains("[UNK]"))
  }

  @Test func malformedTokenizerJSON() throws {
    try write("{\"model\": ", to: directory, "tokenizer.json")
    guard case .invalidFile(let path, let location, _)? = loadError() else {
      Issue.record("expected invalidFile")
      return
    }
    #expect(path.hasSuffix("tokenizer.json"))
    #expect(location == "top level")
  }

  @Test func unsupportedModelType() throws {
    try write(#"{"model": {"type": "BPE", "vocab": {}}}"#, to: directory, "tokenizer.json")
    guard case .unsupported(_, let feature)? = loadError() else {
      Issue.record("expected unsupported")
      return
    }
    #expect(feature.contains("BPE"))
  }

  @Test func negativeVocabularyID() throws {
    try write(
      #"{"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": -3}}}"#,
      to: directory, "tokenizer.json")
    guard case .invalidFile(_, let location, let reason)? = loadError() else {
      Issue.record("expected invalidFile")
      return
    }
    #expect(location == #"field model.vocab["a"]"#)
    #expect(reason.contains("-3"))
  }

  @Test func wrongConfigFieldType() throws {
    try write("[UNK]\n", to: directory, "vocab.txt")
    try write(#"{"do_lower_case": "yes"}"#, to: directory, "tokenizer_config.json")
    guard case .invalidFile(let path, let location, let reason)? = loadError() else {
      Issue.record("expected invalidFile")
      return
    }
    #expect(path.hasSuffix("tokenizer_config.json"))
    #expect(location == "field do_lower_case")
    #expect(reason == "expected true or false, found \"yes\"")
  }

  @Test func singleWordAddedToken() throws {
    try write("[UNK]\n", to: directory, "vocab.txt")
    try write(
      #"{"added_tokens_decoder": {"1": {"content": "<x>", "single_word": true}}}"#,
      to: directory, "tokenizer_config.json")
    guard case .unsupported(_, let feature)? = loadError() else {
      Issue.record("expected unsupported")
      return
    }
    #expect(feature.contains("single_word"))
  }

  @Test func invalidOptions() throws {
    try write("[UNK]\n", to: directory, "vocab.txt")
    var options = BertTokenizerOptions()
    options.maxInputCharsPerWord = 0
    let error = tokenizerError {
      _ = try BertTokenizer(vocabFile: directory.appendingPathComponent("vocab.txt").path, options: options)
    }
    guard case .invalidOptions(let message)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(message.contains("maxInputCharsPerWord"))
  }
}
