import Foundation
import Testing

@testable import ShenzhouText

/// Paths, the shared segmenter and the jieba reference process for the segmentation tests.
enum SegmentationFixtures {
  // MARK: - Paths

  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let jiebaDirectory = repositoryRoot.appendingPathComponent(".deps/jieba")
  static let dictionaryPath = jiebaDirectory.appendingPathComponent("dict.txt").path
  static let hmmPath = jiebaDirectory.appendingPathComponent("hmm.txt").path
  static let sharedData = repositoryRoot.appendingPathComponent("../shared/data").standardizedFileURL

  static var hasJiebaData: Bool {
    FileManager.default.fileExists(atPath: dictionaryPath)
      && FileManager.default.fileExists(atPath: hmmPath)
  }

  static let missingJiebaData = Comment(
    rawValue: ".deps/jieba/dict.txt or hmm.txt is missing; run scripts/setup")

  static var pythonPath: String {
    ProcessInfo.processInfo.environment["SHENZHOU_PYTHON"]
      ?? repositoryRoot.appendingPathComponent(".venv/bin/python").path
  }

  static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: pythonPath) }

  static let missingPython = Comment(
    rawValue: "no Python with jieba at .venv/bin/python or $SHENZHOU_PYTHON; run scripts/setup")

  static var corpusFiles: [URL] {
    let folder = sharedData.appendingPathComponent("corpus")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".txt") }.sorted().map { folder.appendingPathComponent($0) }
  }

  static let missingCorpus = Comment(
    rawValue: "no ../shared/data/corpus/*.txt next to the repository; the corpus parity test needs it")

  // MARK: - Segmenter

  /// The default jieba 0.42.1 segmenter, loaded once; nil when the data is missing.
  static let segmenter: ChineseSegmenter? = try? ChineseSegmenter.load(
    dictionary: dictionaryPath, hmm: hmmPath)

  static func loadedSegmenter() throws -> ChineseSegmenter {
    try #require(segmenter, "the jieba data in .deps/jieba failed to load")
  }

  // MARK: - Temporary files

  /// Writes `bytes` to a new file in a fresh temporary folder and returns its path.
  static func temporaryFile(_ bytes: [UInt8], name: String = "input.txt") throws -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("shenzhou-segmentation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  static func temporaryFile(_ text: String, name: String = "input.txt") throws -> String {
    try temporaryFile(Array(text.utf8), name: name)
  }

  // MARK: - jieba reference

  /// Runs jieba 0.42.1 in the reference Python and returns `jieba.lcut` of each sentence, with
  /// `HMM=True` under "hmm" and `HMM=False` under "noHMM".
  ///
  /// `userWords` are added first with `jieba.add_word(word, freq)` (nil lets jieba suggest the
  /// frequency), then `userDictionary` with `jieba.load_userdict`.
  static func jiebaCuts(
    _ sentences: [String], userWords: [(String, Int?)] = [], userDictionary: String? = nil
  ) throws -> (hmm: [[String]], noHMM: [[String]]) {
    let script = """
      import json, sys
      import jieba
      jieba.setLogLevel(60)
      request = json.load(sys.stdin)
      for word, freq in request["userWords"]:
          jieba.add_word(word, freq)
      if request["userDictionary"]:
          jieba.load_userdict(request["userDictionary"])
      sentences = request["sentences"]
      json.dump({
          "hmm": [jieba.lcut(s) for s in sentences],
          "noHMM": [jieba.lcut(s, HMM=False) for s in sentences],
      }, sys.stdout)
      """
    let request: [String: Any] = [
      "sentences": sentences,
      "userWords": userWords.map { [$0.0, $0.1 as Any? ?? NSNull()] },
      "userDictionary": userDictionary ?? NSNull(),
    ]
    let output = try runPython(script, input: JSONSerialization.data(withJSONObject: request))
    let decoded = try JSONDecoder().decode([String: [[String]]].self, from: output)
    let hmm = try #require(decoded["hmm"])
    let noHMM = try #require(decoded["noHMM"])
    return (hmm, noHMM)
  }

  /// Runs `script` with the reference Python, feeding `input` on standard input, and returns
  /// standard output; fails the test when the process exits with an error.
  static func runPython(_ script: String, input: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: pythonPath)
    process.arguments = ["-c", script]
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Read both pipes while the process runs, so that it never blocks on a full pipe.
    nonisolated(unsafe) var errorOutput = Data()
    let errorReader = Thread { errorOutput = stderr.fileHandleForReading.readDataToEndOfFile() }
    errorReader.start()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorReader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
    let status = process.terminationStatus
    let message = String(decoding: errorOutput, as: UTF8.self)
    try #require(status == 0, "reference Python exited with \(status): \(message)")
    return output
  }
}
