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
        == "248d6a61d20638b8e5c0262693c93e9ae6de5fcc51adfc1c6bd8a1a2597b9cee8ee")
  }
}
