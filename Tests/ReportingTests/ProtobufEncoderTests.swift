import Testing

@testable import ShenzhouReporting

@Suite struct ProtobufEncoderTests {
  @Test func varintEncoding() {
    var encoder = ProtobufEncoder()
    encoder.appendVarint(0)
    encoder.appendVarint(1)
    encoder.appendVarint(127)
    encoder.appendVarint(128)
    encoder.appendVarint(300)
    #expect(encoder.bytes == [0x00, 0x01, 0x7F, 0x80, 0x01, 0xAC, 0x02])
  }

  @Test func negativeInt64TakesTenBytes() {
    var encoder = ProtobufEncoder()
    encoder.appendInt64(field: 2, -1)
    #expect(encoder.bytes == [0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
  }

  @Test func fixedWidthFields() {
    var encoder = ProtobufEncoder()
    encoder.appendDouble(field: 1, 1.0)
    encoder.appendFloat(field: 2, 0.5)
    #expect(encoder.bytes == [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x15, 0, 0, 0, 0x3F])
  }

  @Test func defaultValuesAreSkipped() {
    var encoder = ProtobufEncoder()
    encoder.appendDouble(field: 1, 0)
    encoder.appendFloat(field: 2, 0)
    encoder.appendInt64(field: 3, 0)
    encoder.appendString(field: 4, "")
    #expect(encoder.bytes.isEmpty)
    encoder.appendDouble(field: 1, -0.0)
    #expect(encoder.bytes.count == 9)
  }

  @Test func nestedMessageAndString() {
    var inner = ProtobufEncoder()
    inner.appendString(field: 1, "損失")
    var outer = ProtobufEncoder()
    outer.appendBytes(field: 5, inner.bytes)
    let utf8 = Array("損失".utf8)
    #expect(outer.bytes == [0x2A, UInt8(utf8.count + 2), 0x0A, UInt8(utf8.count)] + utf8)
  }

  @Test func fileVersionRecordLayout() {
    let record = TensorBoardEvent.fileVersionRecord(wallTime: 2.0)
    let version = Array("brain.Event:2".utf8)
    #expect(record == [0x09, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x1A, UInt8(version.count)] + version)
  }
}
