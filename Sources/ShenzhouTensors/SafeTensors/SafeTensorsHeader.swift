/// The parsed and validated header of a safetensors file.
struct SafeTensorsHeader {
  var tensors: [SafeTensorInfo]
  var metadata: [String: String]?
  /// The file offset of the data section: 8 + header length.
  var dataStart: Int

  static let metadataKey = "__metadata__"

  /// Parses the header at the start of `bytes` and checks the data layout against the rest
  /// of the buffer.
  static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(SafeTensorsError) -> SafeTensorsHeader {
    guard bytes.count >= 8 else {
      throw .truncatedHeaderLength(file: file, fileSize: bytes.count)
    }
    let headerSize = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
    guard headerSize <= UInt64(SafeTensorsFile.maxHeaderSize) else {
      throw .headerTooLarge(file: file, headerSize: headerSize, limit: SafeTensorsFile.maxHeaderSize)
    }
    let dataStart = 8 + Int(headerSize)
    guard dataStart <= bytes.count else {
      throw .truncatedHeader(file: file, headerSize: headerSize, fileSize: bytes.count)
    }

    let headerBytes = Array(bytes[8..<dataStart])
    guard String(validating: headerBytes, as: UTF8.self) != nil else {
      throw .invalidHeaderEncoding(file: file)
    }
    let json: SafeTensorsJSON
    do {
      json = try SafeTensorsJSONParser.parse(headerBytes)
    } catch {
      throw .invalidHeaderJSON(file: file, detail: error.description)
    }
    guard case .object(let members) = json else {
      throw .invalidHeaderJSON(file: file, detail: "the top level is \(json.typeName), expected an object")
    }

    var metadata: [String: String]?
    var tensors: [SafeTensorInfo] = []
    var seen: Set<String> = []
    for (key, value) in members {
      guard seen.insert(key).inserted else {
        throw .duplicateTensor(file: file, tensor: key)
      }
      if key == metadataKey {
        metadata = try parseMetadata(value, file: file)
      } else {
        tensors.append(try parseEntry(name: key, value, file: file))
      }
    }

    let dataSize = bytes.count - dataStart
    return SafeTensorsHeader(
      tensors: try validateLayout(tensors, dataSize: dataSize, file: file),
      metadata: metadata,
      dataStart: dataStart)
  }

  // MARK: - Fields

  private static func parseMetadata(_ value: SafeTensorsJSON, file: String) throws(SafeTensorsError) -> [String: String] {
    guard case .object(let members) = value else {
      throw .invalidHeaderField(file: file, field: metadataKey, detail: "is \(value.typeName), expected an object of strings")
    }
    var metadata: [String: String] = [:]
    for (key, entry) in members {
      guard case .string(let text) = entry else {
        throw .invalidHeaderField(
          file: file, field: "\(metadataKey).\(key)", detail: "is \(entry.typeName), expected a string")
      }
      metadata[key] = text
    }
    return metadata
  }

  /// Parses one tensor entry. Fields other than dtype, shape and data_offsets are ignored,
  /// as the safetensors library ignores them.
  private static func parseEntry(name: String, _ value: SafeTensorsJSON, file: String) throws(SafeTensorsError)
    -> SafeTensorInfo
  {
    guard case .object(let fields) = value else {
      throw .invalidHeaderField(file: file, field: name, detail: "is \(value.typeName), expected an object")
    }
    func field(_ key: String) throws(SafeTensorsError) -> SafeTensorsJSON {
      guard let found = fields.first(where: { $0.key == key }) else {
        throw .invalidHeaderField(file: file, field: "\(name).\(key)", detail: "is missing")
      }
      return found.value
    }

    let dtypeValue = try field("dtype")
    guard case .string(let dtypeName) = dtypeValue else {
      throw .invalidHeaderField(file: file, field: "\(name).dtype", detail: "is \(dtypeValue.typeName), expected a string")
    }
    guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
      throw .unknownDType(file: file, tensor: name, dtype: dtypeName)
    }

    let shape = try integers(try field("shape"), field: "\(name).shape", file: file)
    let offsets = try integers(try field("data_offsets"), field: "\(name).data_offsets", file: file)
    guard offsets.count == 2 else {
      throw .invalidHeaderField(
        file: file, field: "\(name).data_offsets", detail: "has \(offsets.count) numbers, expected [begin, end]")
    }
    guard offsets[0] <= offsets[1] else {
      throw .invalidHeaderField(
        file: file, field: "\(name).data_offsets", detail: "begin \(offsets[0]) is after end \(offsets[1])")
    }
    return SafeTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
  }

  private static func integers(_ value: SafeTensorsJSON, field: String, file: String) throws(SafeTensorsError) -> [Int] {
    guard case .array(let elements) = value else {
      throw .invalidHeaderField(file: file, field: field, detail: "is \(value.typeName), expected an array of integers")
    }
    var result: [Int] = []
    for element in elements {
      guard case .integer(let number) = element, number >= 0 else {
        let found = if case .integer(let number) = element { "\(number)" } else { element.typeName }
        throw .invalidHeaderField(file: file, field: field, detail: "contains \(found), expected non-negative integers")
      }
      result.append(number)
    }
    return result
  }

  // MARK: - Layout

  /// Sorts the tensors by offset and checks that they tile `0..<dataSize` exactly and that
  /// each spans product(shape) × item size bytes.
  private static func validateLayout(_ tensors: [SafeTensorInfo], dataSize: Int, file: String) throws(SafeTensorsError)
    -> [SafeTensorInfo]
  {
    let ordered = tensors.sorted {
      ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound)
    }
    var expectedBegin = 0
    var previous: String?
    for info in ordered {
      var elementCount = 1
      for dimension in info.shape {
        let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
        guard !overflow else { throw .invalidShape(file: file, tensor: info.name, shape: info.shape) }
        elementCount = product
      }
      let (expectedBytes, overflow) = elementCount.multipliedReportingOverflow(by: info.dtype.itemSize)
      guard !overflow else { throw .invalidShape(file: file, tensor: info.name, shape: info.shape) }

      if info.dataOffsets.upperBound > dataSize {
        throw .offsetsOutOfRange(file: file, tensor: info.name, end: info.dataOffsets.upperBound, dataSize: dataSize)
      }
      if info.dataOffsets.lowerBound < expectedBegin, let previous {
        throw .overlappingTensors(file: file, tensor: info.name, previous: previous)
      }
      if info.dataOffsets.lowerBound != expectedBegin {
        throw .gapBeforeTensor(
          file: file, tensor: info.name, begin: info.dataOffsets.lowerBound, expectedBegin: expectedBegin)
      }
      if info.byteCount != expectedBytes {
        throw .byteCountMismatch(
          file: file, tensor: info.name, dtype: info.dtype, shape: info.shape, byteCount: info.byteCount,
          expectedByteCount: expectedBytes)
      }
      expectedBegin = info.dataOffsets.upperBound
      previous = info.name
    }
    if expectedBegin != dataSize {
      throw .trailingData(file: file, dataSize: dataSize, usedSize: expectedBegin)
    }
    return ordered
  }
}
