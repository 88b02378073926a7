import Testing

@testable import ShenzhouReporting

@Suite struct CRC32CTests {
  // Check values from RFC 3720, appendix B.4, and the common "123456789" check value.
  @Test func knownVectors() {
    #expect(CRC32C.checksum([]) == 0)
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
  }

  @Test func slicingMatchesBytewise() {
    var generator = SystemRandomNumberGenerator()
    for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099] {
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      #expect(CRC32C.checksum(bytes) == bytewiseCRC32C(bytes), "length \(length)")
    }
  }

  @Test func updateContinuesAcrossChunks() {
    let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    let whole = CRC32C.checksum(bytes)
    for split in [0, 1, 8, 13, 99, 100] {
      let first = Array(bytes[..<split])
      let second = Array(bytes[split...])
      let partial = first.withUnsafeBytes { CRC32C.update(0, with: $0) }
      let combined = second.withUnsafeBytes { CRC32C.update(partial, with: $0) }
      #expect(combined == whole, "split at \(split)")
    }
  }

  @Test func maskRotatesAndAddsDelta() {
    #expect(CRC32C.masked(0) == 0xA282_EAD8)
    #expect(CRC32C.masked(0x0000_8000) == 0xA282_EAD9)
    #expect(CRC32C.masked(0x0000_0001) == 0xA284_EAD8)
  }

  /// Computes CRC-32C one bit at a time, independently of the table code.
  private func bytewiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
  }
}
