import Foundation

/// Builds a ZIP archive of stored (uncompressed) entries in memory: local headers with CRC-32 and
/// sizes, a central directory and its end record. Names are flagged as UTF-8. ZIP64 is not
/// written, so the archive and each entry must stay under 4 GiB and 65,535 entries.
struct ZipArchive {
  struct Entry {
    var name: String
    var data: [UInt8]
    var modified: Date
  }

  private(set) var entries: [Entry] = []

  mutating func add(name: String, data: [UInt8], modified: Date) {
    entries.append(Entry(name: name, data: data, modified: modified))
  }

  /// Encodes the archive, or returns nil when it would need ZIP64.
  func encoded() -> [UInt8]? {
    guard entries.count < 0xFFFF else { return nil }
    var output: [UInt8] = []
    var centralDirectory: [UInt8] = []
    for entry in entries {
      let name = Array(entry.name.utf8)
      let offset = output.count
      let crc = CRC32.checksum(entry.data)
      guard entry.data.count < 0xFFFF_FFFF, offset < 0xFFFF_FFFF, name.count < 0xFFFF else { return nil }
      let (time, date) = Self.dosTimeAndDate(entry.modified)
      let size = UInt32(entry.data.count)

      output.appendLittleEndian(UInt32(0x0403_4B50))
      output.appendLittleEndian(UInt16(20))  // version needed: 2.0
      output.appendLittleEndian(UInt16(0x0800))  // flags: UTF-8 names
      output.appendLittleEndian(UInt16(0))  // method: stored
      output.appendLittleEndian(time)
      output.appendLittleEndian(date)
      output.appendLittleEndian(crc)
      output.appendLittleEndian(size)  // compressed size
      output.appendLittleEndian(size)  // uncompressed size
      output.appendLittleEndian(UInt16(name.count))
      output.appendLittleEndian(UInt16(0))  // extra field length
      output.append(contentsOf: name)
      output.append(contentsOf: entry.data)

      centralDirectory.appendLittleEndian(UInt32(0x0201_4B50))
      centralDirectory.appendLittleEndian(UInt16(0x0314))  // made by: Unix, version 2.0
      centralDirectory.appendLittleEndian(UInt16(20))
      centralDirectory.appendLittleEndian(UInt16(0x0800))
      centralDirectory.appendLittleEndian(UInt16(0))
      centralDirectory.appendLittleEndian(time)
      centralDirectory.appendLittleEndian(date)
      centralDirectory.appendLittleEndian(crc)
      centralDirectory.appendLittleEndian(size)
      centralDirectory.appendLittleEndian(size)
      centralDirectory.appendLittleEndian(UInt16(name.count))
      centralDirectory.appendLittleEndian(UInt16(0))  // extra field length
      centralDirectory.appendLittleEndian(UInt16(0))  // comment length
      centralDirectory.appendLittleEndian(UInt16(0))  // disk number
      centralDirectory.appendLittleEndian(UInt16(0))  // internal attributes
      centralDirectory.appendLittleEndian(UInt32(0o100644) << 16)  // external attributes: regular file, rw-r--r--
      centralDirectory.appendLittleEndian(UInt32(offset))
      centralDirectory.append(contentsOf: name)
    }
    let directoryOffset = output.count
    guard directoryOffset + centralDirectory.count < 0xFFFF_FFFF else { return nil }
    output.append(contentsOf: centralDirectory)
    output.appendLittleEndian(UInt32(0x0605_4B50))
    output.appendLittleEndian(UInt16(0))  // this disk
    output.appendLittleEndian(UInt16(0))  // disk with the central directory
    output.appendLittleEndian(UInt16(entries.count))
    output.appendLittleEndian(UInt16(entries.count))
    output.appendLittleEndian(UInt32(centralDirectory.count))
    output.appendLittleEndian(UInt32(directoryOffset))
    output.appendLittleEndian(UInt16(0))  // comment length
    return output
  }

  /// Returns the MS-DOS time and date fields in local time, as zip tools write them. Dates before 1980 are
  /// written as 1980-01-01.
  static func dosTimeAndDate(_ date: Date) -> (time: UInt16, date: UInt16) {
    let components = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let year = components.year ?? 1980
    guard year >= 1980 else { return (0, UInt16(1 << 5 | 1)) }
    let time = UInt16((components.hour ?? 0) << 11 | (components.minute ?? 0) << 5 | (components.second ?? 0) / 2)
    let day = UInt16(min(year - 1980, 127) << 9 | (components.month ?? 1) << 5 | (components.day ?? 1))
    return (time, day)
  }
}

extension [UInt8] {
  fileprivate mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }
}
