/// CRC-32 as ZIP, gzip and PNG use it (reflected polynomial 0xEDB88320).
struct CRC32 {
  private static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 {
      value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
    }
    return value
  }

  private(set) var value: UInt32 = 0

  mutating func update(_ bytes: some Sequence<UInt8>) {
    var crc = ~value
    for byte in bytes {
      crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
    }
    value = ~crc
  }

  static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc = CRC32()
    crc.update(bytes)
    return crc.value
  }
}
