/// The few protobuf wire-format encodings that TensorBoard's `Event` message needs.
///
/// Fields are appended in the order the caller writes them, which protobuf parsers accept
/// for any order. Like proto3 serializers, the scalar and string methods skip a field whose
/// value is the default (zero bits or empty), so that output for fields written in field
/// number order matches the canonical serialization byte for byte.
struct ProtobufEncoder {
  private(set) var bytes: [UInt8] = []

  enum WireType: UInt64 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
  }

  mutating func appendDouble(field: Int, _ value: Double) {
    if value.bitPattern == 0 { return }
    appendTag(field: field, wireType: .fixed64)
    appendLittleEndian(value.bitPattern)
  }

  mutating func appendFloat(field: Int, _ value: Float) {
    if value.bitPattern == 0 { return }
    appendTag(field: field, wireType: .fixed32)
    appendLittleEndian(value.bitPattern)
  }

  /// Appends an `int64` field. Negative values take ten bytes because protobuf encodes
  /// `int64` as the unsigned varint of its two's complement.
  mutating func appendInt64(field: Int, _ value: Int64) {
    if value == 0 { return }
    appendTag(field: field, wireType: .varint)
    appendVarint(UInt64(bitPattern: value))
  }

  mutating func appendString(field: Int, _ value: String) {
    if value.isEmpty { return }
    appendBytes(field: field, Array(value.utf8))
  }

  /// Appends a length-delimited field: a nested message or the UTF-8 of a string. It is
  /// written even when empty, because an empty message field is still present.
  mutating func appendBytes(field: Int, _ value: [UInt8]) {
    appendTag(field: field, wireType: .lengthDelimited)
    appendVarint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  mutating func appendVarint(_ value: UInt64) {
    var remaining = value
    while remaining >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
      remaining >>= 7
    }
    bytes.append(UInt8(remaining))
  }

  private mutating func appendTag(field: Int, wireType: WireType) {
    appendVarint(UInt64(field) << 3 | wireType.rawValue)
  }

  private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }
}
