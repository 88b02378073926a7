import Foundation
import Testing

@testable import ShenzhouData

@Suite struct ShardFileTests {
  /// Prepares a small corpus and returns its directory and first shard path.
  private static func prepared() throws -> (TemporaryDirectory, String) {
    let directory = try TemporaryDirectory()
    let text = (0..<200).map { "第\($0)篇文章。它有两句话！\n" }.joined()
    let input = try directory.write("corpus.txt", text: text)
    _ = try CorpusPreparer(encoder: StubEncoder()).prepare(corpus: [input], outputDirectory: directory.path + "/out")
    return (directory, directory.path + "/out/shard-00000.szshard")
  }

  private static func modify(_ path: String, _ change: (inout Data) -> Void) throws {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    change(&data)
    try data.write(to: URL(fileURLWithPath: path))
  }

  @Test func headerAndSectionsMatchFormat() throws {
    let (directory, path) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(Array(bytes[0..<8]) == ShardFormat.magic)
    #expect(bytes[8] == 1)
    #expect(bytes[12] == 2)
    let shard = try ShardFile(path: path)
    #expect(shard.documentCount == 200)
    #expect(shard.sentenceCount == 400)
    #expect(shard.documentSentences(5) == 10..<12)
    #expect(shard.documentTokens(0) == 0..<shard.sentenceTokens(1).upperBound)
    #expect(shard.documentStarts(inside: 0..<shard.tokenCount).count == 199)
    #expect(shard.documentStarts(inside: shard.documentTokens(3)).isEmpty)
  }

  @Test func flippedTokenFailsChecksum() throws {
    let (directory, path) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    try Self.modify(path) { $0[ShardFormat.headerSize + 10] ^= 0x01 }
    _ = try PretrainingCorpus(directory: directory.path + "/out", verification: .structure)
    #expect {
      try PretrainingCorpus(directory: directory.path + "/out", verification: .checksums)
    } throws: { error in
      guard case ShardError.checksumMismatch(let failedPath, _, _) = error else { return false }
      return failedPath == path
    }
  }

  @Test func truncatedShardIsRejected() throws {
    let (directory, path) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    try Self.modify(path) { $0.removeLast(9) }
    #expect {
      try ShardFile(path: path)
    } throws: { error in
      guard case ShardError.truncated(let failedPath, _, _) = error else { return false }
      return failedPath == path
    }
  }

  @Test func wrongMagicAndVersionAreRejected() throws {
    let (directory, path) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    try Self.modify(path) { $0[8] = 9 }
    #expect(throws: ShardError.unsupportedVersion(path: path, version: 9)) { try ShardFile(path: path) }
    try Self.modify(path) { $0[0] = 0x50 }
    #expect(throws: ShardError.notAShard(path: path)) { try ShardFile(path: path) }
    let text = try directory.write("short.szshard", text: "hello")
    #expect(throws: ShardError.self) { try ShardFile(path: text) }
  }

  @Test func unorderedOffsetsAreRejected() throws {
    let (directory, path) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    let shard = try ShardFile(path: path)
    let header = ShardHeader(
      tokenWidth: 2, tokenCount: shard.tokenCount, sentenceCount: shard.sentenceCount,
      documentCount: shard.documentCount, vocabularySize: shard.vocabularySize)
    try Self.modify(path) { data in
      let offset = header.sentenceOffsetsOffset + 8 * 3
      data.replaceSubrange(offset..<(offset + 8), with: [UInt8](repeating: 0, count: 8))
    }
    #expect {
      try ShardFile(path: path)
    } throws: { error in
      guard case ShardError.corrupt = error else { return false }
      return true
    }
  }

  @Test func missingManifestIsReported() throws {
    let (directory, _) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    try FileManager.default.removeItem(atPath: directory.path + "/out/manifest.json")
    #expect(throws: ShardError.self) { try PretrainingCorpus(directory: directory.path + "/out") }
  }

  @Test func manifestWithPathInShardNameIsRejected() throws {
    let (directory, _) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    let manifestPath = directory.path + "/out/manifest.json"
    let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
      .replacingOccurrences(of: "\"shard-00000.szshard\"", with: "\"../shard-00000.szshard\"")
    try text.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    #expect {
      try PretrainingCorpus(directory: directory.path + "/out")
    } throws: { error in
      guard case ShardError.manifestInvalid = error else { return false }
      return true
    }
  }

  @Test func vocabularyMismatchIsReported() throws {
    let (directory, _) = try Self.prepared()
    defer { withExtendedLifetime(directory) {} }
    var other = StubEncoder().vocabulary
    other.sha256 = String(repeating: "1", count: 64)
    #expect(throws: ShardError.self) {
      try PretrainingCorpus(directory: directory.path + "/out", expectedVocabulary: other)
    }
  }
}
