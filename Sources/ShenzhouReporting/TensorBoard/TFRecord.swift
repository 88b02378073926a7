/// TFRecord framing, the container format of TensorBoard event files. Each record is
///
///     uint64 length          (little-endian)
///     uint32 masked CRC-32C of the 8 length bytes
///     length bytes of data
///     uint32 masked CRC-32C of the data
enum TFRecord {
  /// Appends one framed record that contains `data` to `output`.
  static func append(_ data: [UInt8], to output: inout [UInt8]) {
    let lengthBytes = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
    output.append(contentsOf: lengthBytes)
    appendLittleEndian(CRC32C.masked(CRC32C.checksum(lengthBytes)), to: &output)
    output.append(contentsOf: data)
    appendLittleEndian(CRC32C.masked(CRC32C.checksum(data)), to: &output)
  }

  private static func appendLittleEndian(_ value: UInt32, to output: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
  }
}
