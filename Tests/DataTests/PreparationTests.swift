import Foundation
import Testing

@testable import ShenzhouData

@Suite struct PreparationTests {
  private static func encoder() throws -> BertPretrainingEncoder {
    try BertPretrainingEncoder.load(vocabularyFile: TestPaths.vocabulary)
  }

  private static func prepare(
    _ paths: [String], into directory: String, settings: PreparationSettings = PreparationSettings(),
    threads: Int = 2, chunkBytes: Int = 1 << 16, overwrites: Bool = false,
    progress: ((PreparationProgress) -> Void)? = nil
  ) throws -> PreparationReport {
    let options = PreparationOptions(
      settings: settings, threadCount: threads, chunkBytes: chunkBytes, overwrites: overwrites, progressInterval: 0)
    return try CorpusPreparer(encoder: try encoder(), options: options).prepare(
      corpus: paths, outputDirectory: directory, progress: progress)
  }

  private static func shardFiles(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".szshard") }.sorted()
  }

  // MARK: - Real corpus

  @Test(.enabled(if: TestPaths.hasCorpus, TestPaths.missingDataReason))
  func realCorpusRoundTrips() throws {
    let output = try TemporaryDirectory()
    let report = try Self.prepare([TestPaths.clueCorpus, TestPaths.wikiCorpus], into: output.path)
    let manifest = report.manifest
    #expect(manifest.tokenWidth == 2)
    #expect(manifest.vocabulary.size == 21_128)
    #expect(manifest.counts.lines == 5_000)
    #expect(manifest.counts.skippedLines == 0)
    #expect(manifest.counts.documents <= 5_000)
    #expect(manifest.counts.documents > 4_900)

    let corpus = try PretrainingCorpus(directory: output.path, verification: .checksums)
    #expect(corpus.tokenCount == manifest.counts.tokens)
    #expect(corpus.sentenceCount == manifest.counts.sentences)
    #expect(corpus.documentCount == manifest.counts.documents)

    let firstLine = try String(contentsOfFile: TestPaths.clueCorpus, encoding: .utf8)
      .split(separator: "\n", maxSplits: 1)[0]
    let encoder = try Self.encoder()
    let scalars = Array(firstLine.unicodeScalars)
    var expected: [Int32] = []
    var expectedSentences = 0
    for range in SentenceSplitter.sentenceRanges(in: scalars) {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[range])
      let ids = try encoder.encode(sentence: String(view), words: nil).tokenIDs
      if !ids.isEmpty { expectedSentences += 1 }
      expected += ids
    }
    let shard = corpus.shards[0]
    var stored: [Int32] = []
    shard.appendTokens(shard.documentTokens(0), to: &stored)
    #expect(stored == expected)
    #expect(shard.documentSentences(0).count == expectedSentences)
  }

  @Test(.enabled(if: TestPaths.hasCorpus, TestPaths.missingDataReason))
  func manifestChecksumsMatchSha256sum() throws {
    let output = try TemporaryDirectory()
    let settings = PreparationSettings(maxTokensPerShard: 300_000)
    let manifest = try Self.prepare([TestPaths.clueCorpus], into: output.path, settings: settings).manifest
    #expect(manifest.shards.count > 1)
    for record in manifest.shards {
      let path = output.path + "/" + record.file
      #expect(try ProcessRunner.sha256sum(path) == record.sha256, "\(record.file)")
      let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
      #expect(size == record.bytes)
    }
    #expect(manifest.shards.map(\.tokens).reduce(0, +) == manifest.counts.tokens)
    #expect(manifest.shards.dropLast().allSatisfy { $0.tokens >= 300_000 })
    let vocabularyDigest = try ProcessRunner.sha256sum(TestPaths.vocabulary)
    #expect(manifest.vocabulary.sha256 == vocabularyDigest)
    #expect(try Self.shardFiles(in: output.path).allSatisfy { !$0.hasSuffix(".partial") })
  }

  @Test(.enabled(if: TestPaths.hasCorpus, TestPaths.missingDataReason))
  func outputIdenticalAcrossThreadCounts() throws {
    let settings = PreparationSettings(maxTokensPerShard: 150_000)
    var manifests: [Data] = []
    var shardDigests: [[String]] = []
    for threads in [1, 3] {
      let output = try TemporaryDirectory()
      _ = try Self.prepare(
        [TestPaths.clueCorpus], into: output.path, settings: settings, threads: threads,
        chunkBytes: 20_000 * threads)
      manifests.append(try Data(contentsOf: URL(fileURLWithPath: output.path + "/manifest.json")))
      shardDigests.append(try Self.shardFiles(in: output.path).map { try ProcessRunner.sha256sum(output.path + "/" + $0) })
    }
    #expect(manifests[0] == manifests[1])
    #expect(shardDigests[0] == shardDigests[1])
    #expect(shardDigests[0].count > 2)
  }

  // MARK: - Invalid UTF-8

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func invalidUTF8ReportsLineAndOffset() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let good = Array("好的。\n".utf8)
    let bad = Array("第二行".utf8) + [0xff] + Array("坏了\n".utf8)
    let path = try input.write("bad.txt", bytes: good + bad + Array("第三行\n".utf8))
    #expect(throws: PreparationError.invalidUTF8(path: path, lineNumber: 2, byteOffset: Int64(good.count + 9), decompressed: false)) {
      try Self.prepare([path], into: output.path)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
  }

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func invalidUTF8OffsetCountsByteOrderMark() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let path = try input.write("bom.txt", bytes: [0xef, 0xbb, 0xbf] + Array("你好".utf8) + [0xc0, 0x80, 0x0a])
    #expect(throws: PreparationError.invalidUTF8(path: path, lineNumber: 1, byteOffset: 9, decompressed: false)) {
      try Self.prepare([path], into: output.path)
    }
  }

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func skippedInvalidLinesAreCounted() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    var bytes = Array("第一篇文章。\n".utf8)
    bytes += [0xed, 0xa0, 0x80] + Array("代理对\n".utf8)
    bytes += Array("第三篇。\n\n".utf8)
    bytes += Array("截断".utf8) + [0xe4, 0xb8]
    let path = try input.write("mixed.txt", bytes: bytes)
    let settings = PreparationSettings(skipsInvalidUTF8: true)
    var finalProgress: PreparationProgress?
    let manifest = try Self.prepare([path], into: output.path, settings: settings) { finalProgress = $0 }.manifest
    #expect(manifest.counts.skippedLines == 2)
    #expect(manifest.inputs[0].skippedLines == 2)
    #expect(manifest.counts.lines == 5)
    #expect(manifest.counts.blankLines == 1)
    #expect(manifest.counts.documents == 2)
    #expect(finalProgress?.skippedLines == 2)
    #expect(finalProgress?.isFinal == true)
  }

  // MARK: - Gzip

  @Test(.enabled(if: TestPaths.hasCorpus, TestPaths.missingDataReason))
  func gzipInputGivesSameShards() throws {
    let input = try TemporaryDirectory()
    let wiki = try Data(contentsOf: URL(fileURLWithPath: TestPaths.wikiCorpus))
    let cut = (wiki.prefix(600_000).lastIndex(of: 0x0a) ?? 0) + 1
    let plainText = wiki.prefix(cut)
    let plainPath = try input.write("wiki.txt", bytes: [UInt8](plainText))
    let compressed = try ProcessRunner.run(["gzip", "-c"], input: plainText)
    let gzipPath = try input.write("wiki.txt.gz", bytes: [UInt8](compressed))
    let plainOutput = try TemporaryDirectory()
    let gzipOutput = try TemporaryDirectory()
    var progressReports: [PreparationProgress] = []
    let plain = try Self.prepare([plainPath], into: plainOutput.path, chunkBytes: 1 << 14).manifest
    let gzip = try Self.prepare([gzipPath], into: gzipOutput.path, chunkBytes: 1 << 14) { progressReports.append($0) }.manifest
    #expect(gzip.inputs[0].gzip)
    #expect(!plain.inputs[0].gzip)
    #expect(gzip.shards == plain.shards)
    #expect(gzip.counts == plain.counts)
    #expect(gzip.counts.bytes == Int64(plainText.count))
    #expect(gzip.inputs[0].bytes == Int64(compressed.count))
    #expect(progressReports.count > 2)
    #expect(progressReports.last?.bytesProcessed == Int64(compressed.count))
    let middle = progressReports.dropLast().map(\.bytesProcessed)
    #expect(middle.allSatisfy { $0 <= Int64(compressed.count) })
    #expect(zip(middle, middle.dropFirst()).allSatisfy { $0 <= $1 })
  }

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func truncatedGzipFails() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let text = String(repeating: "这是一个被截断的压缩文件。\n", count: 2_000)
    let compressed = try ProcessRunner.run(["gzip", "-c"], input: Data(text.utf8))
    let path = try input.write("cut.txt.gz", bytes: [UInt8](compressed.prefix(compressed.count / 2)))
    do {
      _ = try Self.prepare([path], into: output.path)
      Issue.record("a truncated gzip file was accepted")
    } catch let error as PreparationError {
      guard case .gzipFailed(let failedPath, _) = error else {
        Issue.record("expected gzipFailed, got \(error)")
        return
      }
      #expect(failedPath == path)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
  }

  // MARK: - Formats

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func blankLineDocuments() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let text = "第一篇第一段。第二句！\n第一篇第二段\n\n\n第二篇。\r\n　\n第三篇？是的。\n"
    let path = try input.write("docs.txt", text: text)
    let settings = PreparationSettings(documentFormat: .blank)
    let manifest = try Self.prepare([path], into: output.path, settings: settings).manifest
    #expect(manifest.counts.documents == 3)
    #expect(manifest.counts.sentences == 6)
    #expect(manifest.counts.blankLines == 3)
    let corpus = try PretrainingCorpus(directory: output.path)
    let shard = corpus.shards[0]
    #expect((0..<3).map { shard.documentSentences($0).count } == [3, 1, 2])
  }

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func lineDocumentsAcrossFiles() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let first = try input.write("a.txt", text: "甲。乙。\n\n丙\n")
    let second = try input.write("b.txt", text: "丁")
    let manifest = try Self.prepare([first, second], into: output.path).manifest
    #expect(manifest.counts.documents == 3)
    #expect(manifest.counts.sentences == 4)
    #expect(manifest.inputs.map(\.lines) == [3, 1])
  }

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func segmentedInputSetsWordStarts() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let path = try input.write(
      "pd.txt", text: "19980101-01-001-001/m  迈向/v  充满/v  希望/n  的/u  新/a  世纪/n  。/w\n")
    let settings = PreparationSettings(segmentedInput: SegmentedInputOptions(dropsLeadingToken: true))
    _ = try Self.prepare([path], into: output.path, settings: settings)
    let shard = try PretrainingCorpus(directory: output.path).shards[0]
    #expect(shard.tokenCount == 11)
    var starts: [Bool] = []
    shard.appendWordStarts(0..<shard.tokenCount, to: &starts)
    #expect(starts == [true, false, true, false, true, false, true, true, true, false, true])
  }

  // MARK: - Output directory

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func existingCorpusNeedsOverwrite() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let path = try input.write("a.txt", text: "第一次。\n")
    _ = try Self.prepare([path], into: output.path)
    #expect(throws: PreparationError.outputNotEmpty(directory: output.path)) {
      try Self.prepare([path], into: output.path)
    }
    let replacement = try input.write("b.txt", text: "第二次准备。\n")
    let manifest = try Self.prepare([replacement], into: output.path, overwrites: true).manifest
    #expect(manifest.inputs.map(\.path) == [replacement])
    #expect(try Self.shardFiles(in: output.path) == ["shard-00000.szshard"])
  }

  @Test(.enabled(if: TestPaths.hasCorpus, TestPaths.missingDataReason))
  func failedRunLeavesNoShards() throws {
    let input = try TemporaryDirectory()
    let output = try TemporaryDirectory()
    let bad = try input.write("late-error.txt", bytes: Array("正常的一行。\n".utf8) + [0x80, 0x0a])
    let settings = PreparationSettings(maxTokensPerShard: 50_000)
    #expect(throws: PreparationError.self) {
      try Self.prepare([TestPaths.clueCorpus, bad], into: output.path, settings: settings, chunkBytes: 1 << 14)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
  }

  @Test func missingInputIsNamed() throws {
    let output = try TemporaryDirectory()
    let encoder = StubEncoder()
    let missing = output.path + "/no-such-file.txt"
    #expect(throws: PreparationError.inputNotFound(path: missing)) {
      try CorpusPreparer(encoder: encoder).prepare(corpus: [missing], outputDirectory: output.path + "/out")
    }
    #expect(throws: PreparationError.noInputs) {
      try CorpusPreparer(encoder: encoder).prepare(corpus: [], outputDirectory: output.path + "/out")
    }
  }

  @Test func emptyCorpusIsAnError() throws {
    let input = try TemporaryDirectory()
    let path = try input.write("empty.txt", text: "\n  \n")
    #expect(throws: PreparationError.emptyCorpus(paths: [path])) {
      try CorpusPreparer(encoder: StubEncoder()).prepare(corpus: [path], outputDirectory: input.path + "/out")
    }
  }

  @Test func encoderIdsOutsideVocabularyAreRejected() throws {
    let input = try TemporaryDirectory()
    let path = try input.write("a.txt", text: "abc\n")
    let encoder = StubEncoder(vocabularySize: 98)
    #expect(throws: PreparationError.tokenIDOutOfRange(id: 102, vocabularySize: 98, path: path, lineNumber: 1)) {
      try CorpusPreparer(encoder: encoder).prepare(corpus: [path], outputDirectory: input.path + "/out")
    }
  }

  @Test func largeVocabularyUsesInt32Tokens() throws {
    let input = try TemporaryDirectory()
    let path = try input.write("a.txt", text: "ab。cd\n")
    let encoder = StubEncoder(vocabularySize: 70_000, offset: 66_000)
    _ = try CorpusPreparer(encoder: encoder).prepare(corpus: [path], outputDirectory: input.path + "/out")
    let shard = try PretrainingCorpus(directory: input.path + "/out", verification: .checksums).shards[0]
    #expect(shard.tokenWidth == 4)
    var tokens: [Int32] = []
    shard.appendTokens(0..<shard.tokenCount, to: &tokens)
    #expect(tokens == [66_097, 66_098, 66_000 + 0x3002 % 1000, 66_099, 66_100])
  }
}

/// Encoder that maps each scalar to `offset + value % 1000`, for tests that need no vocabulary file.
/// The default offset keeps text ids clear of the special ids 0 through 4.
struct StubEncoder: PretrainingTextEncoder {
  var vocabulary: VocabularyDescription
  let offset: Int32

  init(vocabularySize: Int = 2_000, offset: Int32 = 5) {
    vocabulary = VocabularyDescription(
      size: vocabularySize, sha256: String(repeating: "0", count: 64),
      specialTokens: SpecialTokenIDs(padding: 0, unknown: 1, classification: 2, separator: 3, mask: 4))
    self.offset = offset
  }

  func encode(sentence: String, words: [Range<Int>]?) -> EncodedSentence {
    let ids = sentence.unicodeScalars.map { offset + Int32($0.value % 1000) }
    return EncodedSentence(tokenIDs: ids, wordStarts: ids.map { _ in true })
  }
}

@Suite struct SegmentedInputErrorTests {
  @Test func malformedSegmentedLineIsReported() throws {
    let input = try TemporaryDirectory()
    let path = try input.write("pd.txt", text: "迈向/v 充满/v\n[中央/n 人民/n\n")
    let options = PreparationOptions(settings: PreparationSettings(segmentedInput: SegmentedInputOptions()))
    #expect {
      try CorpusPreparer(encoder: StubEncoder(), options: options).prepare(
        corpus: [path], outputDirectory: input.path + "/out")
    } throws: { error in
      guard case PreparationError.invalidSegmentedLine(let failedPath, let line, _) = error else { return false }
      return failedPath == path && line == 2
    }
  }
}
