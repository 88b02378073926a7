import Foundation
import Testing

@testable import ShenzhouData

@Suite struct SHA256Tests {
  @Test func knownVectors() {
    #expect(SHA256.hexDigest(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hexDigest(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    #expect(
      SHA256.hexDigest(of: Array(twoBlocks.utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }
}

@Suite struct SHA256StreamingTests {
  @Test func piecewiseEqualsWhole() {
    var generator = Xoshiro256StarStar(seed: 7)
    let bytes = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let whole = SHA256.hexDigest(of: bytes)
    for pieceSize in [1, 3, 63, 64, 65, 1000] {
      var hasher = SHA256()
      var start = 0
      while start < bytes.count {
        let end = min(start + pieceSize, bytes.count)
        hasher.update(bytes[start..<end])
        start = end
      }
      #expect(SHA256.hexString(hasher.finalize()) == whole, "piece size \(pieceSize)")
    }
  }

  @Test(.enabled(if: TestPaths.hasVocabulary, TestPaths.missingDataReason))
  func matchesSha256sum() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.vocabulary))
    #expect(SHA256.hexDigest(of: [UInt8](data)) == (try ProcessRunner.sha256sum(TestPaths.vocabulary)))
  }
}
