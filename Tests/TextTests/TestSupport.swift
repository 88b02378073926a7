import Foundation
import Testing

@testable import ShenzhouText

// MARK: - Paths

enum TestPaths {
  /// Root of the checkout, found from this file's location.
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let sharedData = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
  static let vocab = sharedData.appendingPathComponent("vocab/bert-base-chinese-vocab.txt").path
  static let corpusDirectory = sharedData.appendingPathComponent("corpus")
  static let referenceScript = repositoryRoot.appendingPathComponent("Tests/Support/hf_bert_reference.py").path

  /// Python with transformers; `SHENZHOU_PYTHON` overrides the checkout's `.venv`.
  static let python: String =
    ProcessInfo.processInfo.environment["SHENZHOU_PYTHON"]
    ?? repositoryRoot.appendingPathComponent(".venv/bin/python").path

  /// The built `shenzhou` executable: `SHENZHOU_BINARY`, else the one beside the test bundle, else
  /// `.build/debug/shenzhou`.
  static let shenzhouBinary: String = {
    if let path = ProcessInfo.processInfo.environment["SHENZHOU_BINARY"] { return path }
    let besideBundle = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("shenzhou").path
    if FileManager.default.isExecutableFile(atPath: besideBundle) { return besideBundle }
    return repositoryRoot.appendingPathComponent(".build/debug/shenzhou").path
  }()

  static var hasBinary: Bool { FileManager.default.isExecutableFile(atPath: shenzhouBinary) }

  static var hasVocab: Bool { FileManager.default.fileExists(atPath: vocab) }
  static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: python) }
  static var hasReference: Bool { hasVocab && hasPython }

  /// Creates a fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("shenzhou-text-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

// MARK: - Python reference

/// Request to `Tests/Support/hf_bert_reference.py`.
struct ReferenceRequest: Encodable {
  struct TokenizerSpec: Encodable {
    var vocab: String? = TestPaths.vocab
    var directory: String? = nil
    var loader: String? = nil
    var do_lower_case: Bool = true
    var strip_accents: Bool? = nil
    var tokenize_chinese_chars: Bool = true
    var clean_text: Bool? = nil
    var slow: Bool = false
    var added_tokens: [AddedTokenSpec] = []

    enum CodingKeys: String, CodingKey {
      case vocab, directory, loader, do_lower_case, strip_accents, tokenize_chinese_chars
      case clean_text, slow, added_tokens
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encodeIfPresent(vocab, forKey: .vocab)
      try container.encodeIfPresent(directory, forKey: .directory)
      try container.encodeIfPresent(loader, forKey: .loader)
      try container.encode(do_lower_case, forKey: .do_lower_case)
      // Python must see null, not a missing key, for "follow lowercase".
      try container.encode(strip_accents, forKey: .strip_accents)
      try container.encode(tokenize_chinese_chars, forKey: .tokenize_chinese_chars)
      try container.encodeIfPresent(clean_text, forKey: .clean_text)
      try container.encode(slow, forKey: .slow)
      try container.encode(added_tokens, forKey: .added_tokens)
    }
  }

  struct AddedTokenSpec: Encodable {
    var content: String
    var special: Bool
    var normalized: Bool
    var lstrip = false
    var rstrip = false
  }

  struct EncodeCall: Encodable {
    var text: String
    var pair: String? = nil
    var max_length: Int? = nil
    var truncation: String? = nil
    var padding: String? = nil
    var add_special_tokens = true
  }

  struct DecodeCall: Encodable {
    var ids: [Int32]
    var skip_special_tokens: Bool
  }

  struct BatchCall: Encodable {
    var texts: [String]
    var pairs: [String]? = nil
    var max_length: Int? = nil
    var truncation: String? = nil
    var padding: String? = nil
  }

  struct ExportSpec: Encodable {
    var vocab = TestPaths.vocab
    var directory: String
    /// "tokenizer_json" writes only tokenizer.json; "save_pretrained" writes what transformers saves.
    var layout: String
    var do_lower_case = true
    var strip_accents: Bool? = nil
    var tokenize_chinese_chars = true
    var added_tokens: [AddedTokenSpec] = []
  }

  var export: ExportSpec? = nil
  var tokenizer = TokenizerSpec()
  var texts: [String] = []
  var encode: [EncodeCall] = []
  var batches: [BatchCall] = []
  var decode: [DecodeCall] = []
}

struct ReferenceResponse: Decodable {
  struct Tokens: Decodable {
    var ids: [Int32]
    var tokens: [String]
    var offsets: [[Int]]
  }

  struct Encoded: Decodable {
    var ids: [Int32]?
    var type_ids: [Int32]?
    var attention_mask: [Int32]?
    var special_tokens_mask: [Int32]?
    var offsets: [[Int]]?
    var sequence_ids: [Int?]?
    var error: String?
  }

  var tokens: [Tokens]
  var slow: [[Int32]]
  var encode: [Encoded]
  var batches: [[Encoded]]
  var decode: [String]
}

enum Reference {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs the Python reference on `request` and returns its parsed response.
  static func run(_ request: ReferenceRequest) throws -> ReferenceResponse {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.python)
    process.arguments = [TestPaths.referenceScript]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    // The script reads all of stdin before it writes, so writing first cannot deadlock.
    input.fileHandleForWriting.write(try JSONEncoder().encode(request))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "\(TestPaths.referenceScript) exited with \(process.terminationStatus)")
    }
    return try JSONDecoder().decode(ReferenceResponse.self, from: data)
  }
}

// MARK: - Subprocesses

struct ProcessResult {
  var status: Int32
  var stdout: Data
  var stderr: String
}

/// Runs `executable` with `input` as raw stdin bytes and collects its output.
func runProcess(_ executable: String, _ arguments: [String], input: Data) throws -> ProcessResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let stdin = Pipe()
  let stdout = Pipe()
  let stderr = Pipe()
  process.standardInput = stdin
  process.standardOutput = stdout
  process.standardError = stderr
  try process.run()
  // Drain both pipes on other threads so that a full pipe cannot block the child.
  nonisolated(unsafe) var outData = Data()
  nonisolated(unsafe) var errData = Data()
  let group = DispatchGroup()
  DispatchQueue.global().async(group: group) { outData = stdout.fileHandleForReading.readDataToEndOfFile() }
  DispatchQueue.global().async(group: group) { errData = stderr.fileHandleForReading.readDataToEndOfFile() }
  stdin.fileHandleForWriting.write(input)
  try stdin.fileHandleForWriting.close()
  process.waitUntilExit()
  group.wait()
  return ProcessResult(
    status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
}

// MARK: - Corpus

enum Corpus {
  /// Returns up to `perFile` non-empty lines from each corpus file, cut to `maxScalars` scalars.
  static func sampleLines(perFile: Int, maxScalars: Int = 600) -> [String] {
    let files = (try? FileManager.default.contentsOfDirectory(
      at: TestPaths.corpusDirectory, includingPropertiesForKeys: nil)) ?? []
    var lines: [String] = []
    for file in files.sorted(by: { $0.path < $1.path }) where file.pathExtension == "txt" {
      guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
      let fileLines = text.split(separator: "\n", omittingEmptySubsequences: true)
      // Spread the picks over the file instead of taking only its start.
      let step = max(1, fileLines.count / perFile)
      for index in stride(from: 0, to: fileLines.count, by: step).prefix(perFile) {
        lines.append(String(String.UnicodeScalarView(fileLines[index].unicodeScalars.prefix(maxScalars))))
      }
    }
    return lines
  }

  static var isAvailable: Bool {
    FileManager.default.fileExists(atPath: TestPaths.corpusDirectory.path)
  }
}
