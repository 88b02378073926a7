/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing.
///
/// The implementation processes 8 bytes per step with eight 256-entry tables
/// (slicing-by-8) and finishes the tail one byte at a time.
public enum CRC32C {
  /// Returns the CRC-32C of `bytes`.
  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { update(0, with: $0) }
  }

  /// Returns the CRC-32C of the bytes seen so far followed by `bytes`, given `crc`, the
  /// checksum of the bytes seen so far (0 before the first byte).
  public static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
    lookupTables.withUnsafeBufferPointer { tables in
      var state = ~crc
      var offset = 0
      let count = bytes.count

      while count - offset >= 8 {
        let low = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian ^ state
        let high = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        state =
          tables[7 * 256 + Int(low & 0xFF)] ^ tables[6 * 256 + Int((low >> 8) & 0xFF)]
          ^ tables[5 * 256 + Int((low >> 16) & 0xFF)] ^ tables[4 * 256 + Int(low >> 24)]
          ^ tables[3 * 256 + Int(high & 0xFF)] ^ tables[2 * 256 + Int((high >> 8) & 0xFF)]
          ^ tables[1 * 256 + Int((high >> 16) & 0xFF)] ^ tables[Int(high >> 24)]
        offset += 8
      }

      while offset < count {
        let byte = bytes[offset]
        state = tables[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
        offset += 1
      }
      return ~state
    }
  }

  /// Returns the masked form that TFRecord files store: the checksum rotated right by 15 bits
  /// plus 0xA282EAD8. Masking keeps a CRC of data that itself contains CRCs from being weak.
  public static func masked(_ crc: UInt32) -> UInt32 {
    ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }

  /// Eight tables of 256 entries, one after another. Table 0 is the classic byte-at-a-time
  /// table, and table k advances a byte's contribution by k more zero bytes.
  private static let lookupTables: [UInt32] = {
    let polynomial: UInt32 = 0x82F6_3B78
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for index in 0..<256 {
      var value = UInt32(index)
      for _ in 0..<8 {
        value = value & 1 == 1 ? (value >> 1) ^ polynomial : value >> 1
      }
      tables[index] = value
    }
    for table in 1..<8 {
      for index in 0..<256 {
        let previous = tables[(table - 1) * 256 + index]
        tables[table * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
      }
    }
    return tables
  }()
}
