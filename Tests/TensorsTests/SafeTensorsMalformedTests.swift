import Foundation
import ShenzhouTensors
import Testing

/// Builds a safetensors byte stream from a header text and data bytes. `headerLength`
/// overrides the length field.
private func fileBytes(_ header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> [UInt8] {
  let headerBytes = Array(header.utf8)
  var bytes = withUnsafeBytes(of: (headerLength ?? UInt64(headerBytes.count)).littleEndian) { Array($0) }
  bytes += headerBytes
  bytes += data
  return bytes
}

private func entry(_ name: String, _ dtype: String = "U8", shape: [Int], offsets: (Int, Int)) -> String {
  "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(offsets.0),\(offsets.1)]}"
}

private let file = "bad.safetensors"

@Suite struct SafeTensorsMalformedTests {
  static let cases: [(label: String, bytes: [UInt8], error: SafeTensorsError)] = [
    ("shorter than length", [1, 0, 0], .truncatedHeaderLength(file: file, fileSize: 3)),
    ("empty file", [], .truncatedHeaderLength(file: file, fileSize: 0)),
    ("header too large", fileBytes("{}", headerLength: 100_000_001),
     .headerTooLarge(file: file, headerSize: 100_000_001, limit: 100_000_000)),
    ("header past end", fileBytes("{}", headerLength: 50), .truncatedHeader(file: file, headerSize: 50, fileSize: 10)),
    ("header not UTF-8", [2, 0, 0, 0, 0, 0, 0, 0, 0xC3, 0x28], .invalidHeaderEncoding(file: file)),
    ("bad JSON", fileBytes("{\"a\":"), .invalidHeaderJSON(file: file, detail: "line 1, column 6: unexpected end of JSON")),
    ("trailing garbage JSON", fileBytes("{} x"),
     .invalidHeaderJSON(file: file, detail: "line 1, column 4: unexpected text after the top-level value")),
    ("top level array", fileBytes("[]"),
     .invalidHeaderJSON(file: file, detail: "the top level is an array, expected an object")),
    ("entry not object", fileBytes("{\"w\":3}"), .invalidHeaderField(file: file, field: "w", detail: "is an integer, expected an object")),
    ("missing dtype", fileBytes("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", data: [0]),
     .invalidHeaderField(file: file, field: "w.dtype", detail: "is missing")),
    ("missing offsets", fileBytes("{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", data: [0]),
     .invalidHeaderField(file: file, field: "w.data_offsets", detail: "is missing")),
    ("float dimension", fileBytes("{\"w\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,1]}}", data: [0]),
     .invalidHeaderField(file: file, field: "w.shape", detail: "contains a number, expected non-negative integers")),
    ("negative dimension", fileBytes("{" + entry("w", shape: [-1], offsets: (0, 1)) + "}", data: [0]),
     .invalidHeaderField(file: file, field: "w.shape", detail: "contains -1, expected non-negative integers")),
    ("three offsets", fileBytes("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", data: [0]),
     .invalidHeaderField(file: file, field: "w.data_offsets", detail: "has 3 numbers, expected [begin, end]")),
    ("reversed offsets", fileBytes("{" + entry("w", shape: [1], offsets: (1, 0)) + "}", data: [0]),
     .invalidHeaderField(file: file, field: "w.data_offsets", detail: "begin 1 is after end 0")),
    ("metadata not strings", fileBytes("{\"__metadata__\":{\"epoch\":3}}"),
     .invalidHeaderField(file: file, field: "__metadata__.epoch", detail: "is an integer, expected a string")),
    ("unknown dtype", fileBytes("{" + entry("w", "F128", shape: [1], offsets: (0, 16)) + "}", data: Array(repeating: 0, count: 16)),
     .unknownDType(file: file, tensor: "w", dtype: "F128")),
    ("duplicate name", fileBytes("{" + entry("w", shape: [1], offsets: (0, 1)) + "," + entry("w", shape: [1], offsets: (0, 1)) + "}", data: [0]),
     .duplicateTensor(file: file, tensor: "w")),
    ("wrong byte count", fileBytes("{" + entry("w", "F32", shape: [3], offsets: (0, 8)) + "}", data: Array(repeating: 0, count: 8)),
     .byteCountMismatch(file: file, tensor: "w", dtype: .float32, shape: [3], byteCount: 8, expectedByteCount: 12)),
    ("offsets past data", fileBytes("{" + entry("w", shape: [4], offsets: (0, 4)) + "}", data: [0, 0]),
     .offsetsOutOfRange(file: file, tensor: "w", end: 4, dataSize: 2)),
    ("overlapping", fileBytes("{" + entry("a", shape: [2], offsets: (0, 2)) + "," + entry("b", shape: [2], offsets: (1, 3)) + "}", data: [0, 0, 0]),
     .overlappingTensors(file: file, tensor: "b", previous: "a")),
    ("gap", fileBytes("{" + entry("a", shape: [2], offsets: (0, 2)) + "," + entry("b", shape: [1], offsets: (3, 4)) + "}", data: [0, 0, 0, 0]),
     .gapBeforeTensor(file: file, tensor: "b", begin: 3, expectedBegin: 2)),
    ("not starting at zero", fileBytes("{" + entry("a", shape: [1], offsets: (1, 2)) + "}", data: [0, 0]),
     .gapBeforeTensor(file: file, tensor: "a", begin: 1, expectedBegin: 0)),
    ("trailing data", fileBytes("{" + entry("a", shape: [2], offsets: (0, 2)) + "}", data: [0, 0, 9]),
     .trailingData(file: file, dataSize: 3, usedSize: 2)),
    ("shape overflow", fileBytes("{" + entry("a", shape: [Int.max, 4], offsets: (0, 0)) + "}"),
     .invalidShape(file: file, tensor: "a", shape: [Int.max, 4])),
    ("deep nesting", fileBytes("{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"),
     .invalidHeaderJSON(file: file, detail: "line 1, column 69: nesting deeper than 64 levels")),
  ]

  @Test(arguments: cases)
  func malformedFileRejected(label: String, bytes: [UInt8], error: SafeTensorsError) {
    #expect(throws: error, "\(label)") {
      try SafeTensorsFile(bytes: bytes, name: file)
    }
  }

  @Test func truncatedFileOnDisk() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("cut.safetensors")
    let full = try SafeTensorsWriter.serialize(
      [SafeTensorsEntry(name: "w", dtype: .float32, shape: [4], scalars: [Float](repeating: 1, count: 4))])
    try Data(full.dropLast(3)).write(to: URL(fileURLWithPath: path))
    #expect(throws: SafeTensorsError.offsetsOutOfRange(file: path, tensor: "w", end: 16, dataSize: 13)) {
      try SafeTensorsFile(path: path)
    }
  }

  @Test func missingFileReported() {
    #expect(throws: SafeTensorsError.fileNotFound(file: "/nonexistent/shenzhou.safetensors")) {
      try SafeTensorsFile(path: "/nonexistent/shenzhou.safetensors")
    }
  }

  @Test func folderIsNotAFile() throws {
    let folder = try TemporaryFolder()
    #expect(throws: SafeTensorsError.cannotRead(file: folder.path, reason: "not a regular file")) {
      try SafeTensorsFile(path: folder.path)
    }
  }

  @Test func paddedHeaderAccepted() throws {
    let bytes = fileBytes("  {" + entry("a", shape: [2], offsets: (0, 2)) + "}   ", data: [4, 5])
    let parsed = try SafeTensorsFile(bytes: bytes)
    #expect(try parsed.tensor(named: "a").copyBytes() == [4, 5])
  }

  @Test func escapedNamesDecoded() throws {
    let bytes = fileBytes("{" + entry("a\\\"b\\u00e9\\ud83d\\ude00", shape: [1], offsets: (0, 1)) + "}", data: [1])
    #expect(try SafeTensorsFile(bytes: bytes).names == ["a\"bé😀"])
  }

  @Test func errorMessagesNameFileAndTensor() {
    let error = SafeTensorsError.byteCountMismatch(
      file: "m.safetensors", tensor: "w", dtype: .float32, shape: [3], byteCount: 8, expectedByteCount: 12)
    #expect(error.description == "m.safetensors: tensor \"w\" spans 8 bytes, but shape [3] of F32 needs 12 bytes")
  }
}
