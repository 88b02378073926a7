import Foundation
import ShenzhouTensors
import Testing

@Suite struct SafeTensorsRoundTripTests {
  @Test func roundTripThroughFile() throws {
    let folder = try TemporaryFolder()
    let tensors = sampleTensors()
    let path = folder.file("model.safetensors")
    try SafeTensorsWriter.write(tensors.map(\.entry), metadata: ["format": "pt", "note": "测试"], to: path)

    let file = try SafeTensorsFile(path: path)
    #expect(file.metadata == ["format": "pt", "note": "测试"])
    #expect(Set(file.names) == Set(tensors.map(\.name)))
    for tensor in tensors {
      let view = try file.tensor(named: tensor.name)
      #expect(view.dtype == tensor.dtype, "\(tensor.name)")
      #expect(view.shape == tensor.shape, "\(tensor.name)")
      #expect(view.copyBytes() == tensor.bytes, "\(tensor.name)")
    }
    #expect(try folder.contents() == ["model.safetensors"])
  }

  @Test func serializeMatchesWrittenFile() throws {
    let folder = try TemporaryFolder()
    let entries = sampleTensors().map(\.entry)
    let path = folder.file("a.safetensors")
    try SafeTensorsWriter.write(entries, metadata: SafeTensorsWriter.pytorchMetadata, to: path)
    let written = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect([UInt8](written) == (try SafeTensorsWriter.serialize(entries, metadata: SafeTensorsWriter.pytorchMetadata)))
  }

  @Test func headerPaddedAndTensorsAligned() throws {
    let bytes = try SafeTensorsWriter.serialize(sampleTensors().map(\.entry))
    let headerSize = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    #expect(headerSize % 8 == 0)
    #expect(bytes[8 + headerSize - 1] == UInt8(ascii: " ") || bytes[8 + headerSize - 1] == UInt8(ascii: "}"))

    let file = try SafeTensorsFile(bytes: bytes)
    for info in file.tensors {
      #expect((8 + headerSize + info.dataOffsets.lowerBound) % info.dtype.itemSize == 0, "\(info.name)")
    }
  }

  @Test func storageOrderWidestFirstThenName() throws {
    let entries = [
      SafeTensorsEntry(name: "b", dtype: .float32, shape: [1], scalars: [Float(1)]),
      SafeTensorsEntry(name: "a", dtype: .int8, shape: [1], bytes: [1]),
      SafeTensorsEntry(name: "c", dtype: .float64, shape: [1], scalars: [Double(1)]),
      SafeTensorsEntry(name: "a32", dtype: .float32, shape: [1], scalars: [Float(1)]),
      SafeTensorsEntry(name: "i64", dtype: .int64, shape: [1], scalars: [Int64(1)]),
    ]
    let file = try SafeTensorsFile(bytes: try SafeTensorsWriter.serialize(entries))
    #expect(file.names == ["i64", "c", "a32", "b", "a"])
  }

  @Test func scalarsReadAsSwiftTypes() throws {
    let values: [Float] = [1.5, -2, 3.25, 0]
    let entries = [
      SafeTensorsEntry(name: "w", dtype: .float32, shape: [2, 2], scalars: values),
      SafeTensorsEntry(name: "ids", dtype: .int64, shape: [3], scalars: [Int64(-1), 0, 21127]),
    ]
    let file = try SafeTensorsFile(bytes: try SafeTensorsWriter.serialize(entries))
    #expect(try file.tensor(named: "w").scalars(as: Float.self) == values)
    #expect(try file.tensor(named: "ids").scalars(as: Int64.self) == [-1, 0, 21127])
    #expect(throws: SafeTensorsError.elementSizeMismatch(tensor: "w", dtype: .float32, requestedSize: 8)) {
      try file.tensor(named: "w").scalars(as: Double.self)
    }
  }

  @Test func viewOutlivesFileObject() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("x.safetensors")
    try SafeTensorsWriter.write(
      [SafeTensorsEntry(name: "x", dtype: .float32, shape: [3], scalars: [Float(1), 2, 3])], to: path)
    let view = try SafeTensorsFile(path: path).tensor(named: "x")
    #expect(try view.scalars(as: Float.self) == [1, 2, 3])
  }

  @Test func producerAndViewEntries() throws {
    let source = try SafeTensorsFile(
      bytes: try SafeTensorsWriter.serialize([SafeTensorsEntry(name: "s", dtype: .uint8, shape: [2], bytes: [7, 9])]))
    let entries = [
      SafeTensorsEntry(name: "copied", view: try source.tensor(named: "s")),
      SafeTensorsEntry(name: "filled", dtype: .int16, shape: [2], byteCount: 4) { buffer in
        for index in buffer.indices { buffer[index] = UInt8(index + 1) }
      },
    ]
    let file = try SafeTensorsFile(bytes: try SafeTensorsWriter.serialize(entries))
    #expect(try file.tensor(named: "copied").copyBytes() == [7, 9])
    #expect(try file.tensor(named: "filled").copyBytes() == [1, 2, 3, 4])
  }

  @Test func emptyFileHasNoTensors() throws {
    let bytes = try SafeTensorsWriter.serialize([])
    #expect(bytes.count == 16)
    let file = try SafeTensorsFile(bytes: bytes)
    #expect(file.tensors.isEmpty)
    #expect(file.metadata == nil)
  }

  @Test func unknownTensorNameRejected() throws {
    let file = try SafeTensorsFile(bytes: try SafeTensorsWriter.serialize([]), name: "m.safetensors")
    #expect(throws: SafeTensorsError.tensorNotFound(file: "m.safetensors", tensor: "missing")) {
      try file.tensor(named: "missing")
    }
  }
}

@Suite struct SafeTensorsWriterErrorTests {
  static let cases: [(entry: SafeTensorsEntry, detail: String)] = [
    (SafeTensorsEntry(name: "w", dtype: .float32, shape: [3], bytes: [0, 0, 0, 0]),
     "4 bytes given, but shape [3] of F32 needs 12"),
    (SafeTensorsEntry(name: "w", dtype: .float32, shape: [-1], bytes: []),
     "shape [-1] has a negative dimension or too many elements"),
    (SafeTensorsEntry(name: "w", dtype: .float32, shape: [Int.max, 2], bytes: []),
     "shape [\(Int.max), 2] has a negative dimension or too many elements"),
    (SafeTensorsEntry(name: "__metadata__", dtype: .uint8, shape: [0], bytes: []),
     "the name is reserved for the metadata map"),
    (SafeTensorsEntry(name: "", dtype: .uint8, shape: [0], bytes: []), "the name is empty"),
  ]

  @Test(arguments: cases)
  func invalidEntryRejected(entry: SafeTensorsEntry, detail: String) {
    #expect(throws: SafeTensorsError.invalidTensor(tensor: entry.name, detail: detail)) {
      try SafeTensorsWriter.serialize([entry])
    }
  }

  @Test func duplicateNameRejected() {
    let entry = SafeTensorsEntry(name: "w", dtype: .uint8, shape: [1], bytes: [1])
    #expect(throws: SafeTensorsError.invalidTensor(tensor: "w", detail: "the name is given twice")) {
      try SafeTensorsWriter.serialize([entry, entry])
    }
  }

  @Test func failedWriteKeepsOldFile() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("model.safetensors")
    let original = [SafeTensorsEntry(name: "old", dtype: .uint8, shape: [1], bytes: [5])]
    try SafeTensorsWriter.write(original, to: path)

    struct ProducerFailure: Error {}
    let failing = SafeTensorsEntry(name: "new", dtype: .uint8, shape: [4], byteCount: 4) { _ in
      throw ProducerFailure()
    }
    #expect(throws: SafeTensorsError.self) {
      try SafeTensorsWriter.write([failing], to: path)
    }
    #expect(try SafeTensorsFile(path: path).names == ["old"])
    #expect(try folder.contents() == ["model.safetensors"])
  }

  @Test func missingFolderReported() {
    let path = "/nonexistent-shenzhou/sub/model.safetensors"
    #expect {
      try SafeTensorsWriter.write([], to: path)
    } throws: { error in
      guard case .writeFailed(let file, let reason)? = error as? SafeTensorsError else { return false }
      return file == path && reason.contains("temporary file")
    }
  }
}
