#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes safetensors files that the safetensors library (0.8.0) reads, byte for byte the
/// same as its `save` for the same tensors and at most one metadata key.
///
/// The layout matches the library. Tensors are stored by descending dtype rank (wider types
/// first) and then by name in byte order. The header is compact JSON with `__metadata__`
/// first and tensors in storage order. Spaces pad it to a multiple of 8 bytes, so every
/// tensor starts aligned to its item size.
public enum SafeTensorsWriter {
  /// The metadata that PyTorch checkpoints carry and that transformers expects.
  public static let pytorchMetadata = ["format": "pt"]

  /// Returns the complete file contents for `entries`.
  public static func serialize(
    _ entries: [SafeTensorsEntry], metadata: [String: String]? = nil
  ) throws(SafeTensorsError) -> [UInt8] {
    let layout = try SafeTensorsLayout(entries, metadata: metadata)
    var output = layout.header
    output.reserveCapacity(layout.header.count + layout.dataSize)
    for entry in layout.ordered {
      try appendContent(of: entry) { chunk in output.append(contentsOf: chunk) }
    }
    return output
  }

  /// Writes `entries` to `path` atomically: the file appears complete under its name or
  /// not at all, and an existing file is replaced only after the new one is fully written.
  public static func write(
    _ entries: [SafeTensorsEntry], metadata: [String: String]? = nil, to path: String
  ) throws(SafeTensorsError) {
    let layout = try SafeTensorsLayout(entries, metadata: metadata)
    try AtomicFileOutput.write(to: path) { (output: inout AtomicFileOutput) throws(SafeTensorsError) in
      try output.append(layout.header)
      for entry in layout.ordered {
        try appendContent(of: entry) { (chunk: UnsafeRawBufferPointer) throws(SafeTensorsError) in
          try output.append(chunk)
        }
      }
    }
  }

  /// Passes the entry's bytes to `sink`, checking a producer's output size.
  private static func appendContent(
    of entry: SafeTensorsEntry, to sink: (UnsafeRawBufferPointer) throws(SafeTensorsError) -> Void
  ) throws(SafeTensorsError) {
    switch entry.content {
    case .bytes(let bytes):
      try withBytes(of: bytes) { buffer throws(SafeTensorsError) in try sink(buffer) }
    case .view(let view):
      try sink(view.bytes)
    case .producer(let fill):
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: entry.byteCount, alignment: 64)
      defer { buffer.deallocate() }
      buffer.initializeMemory(as: UInt8.self, repeating: 0)
      do {
        try fill(buffer)
      } catch {
        throw .invalidTensor(tensor: entry.name, detail: "producing its bytes failed: \(error)")
      }
      try sink(UnsafeRawBufferPointer(buffer))
    }
  }
}

// MARK: - Layout

/// The validated order, offsets and header bytes for a set of entries.
struct SafeTensorsLayout {
  let ordered: [SafeTensorsEntry]
  let header: [UInt8]
  let dataSize: Int

  init(_ entries: [SafeTensorsEntry], metadata: [String: String]?) throws(SafeTensorsError) {
    var names: Set<String> = []
    for entry in entries {
      guard !entry.name.isEmpty else {
        throw .invalidTensor(tensor: entry.name, detail: "the name is empty")
      }
      guard entry.name != SafeTensorsHeader.metadataKey else {
        throw .invalidTensor(tensor: entry.name, detail: "the name is reserved for the metadata map")
      }
      guard names.insert(entry.name).inserted else {
        throw .invalidTensor(tensor: entry.name, detail: "the name is given twice")
      }
      guard let elementCount = entry.elementCount else {
        throw .invalidTensor(
          tensor: entry.name, detail: "shape \(entry.shape) has a negative dimension or too many elements")
      }
      let (expected, overflow) = elementCount.multipliedReportingOverflow(by: entry.dtype.itemSize)
      guard !overflow, expected == entry.byteCount else {
        throw .invalidTensor(
          tensor: entry.name,
          detail: "\(entry.byteCount) bytes given, but shape \(entry.shape) of \(entry.dtype.rawValue) needs "
            + "\(overflow ? "more than Int.max" : String(expected))")
      }
    }

    ordered = entries.sorted { left, right in
      if left.dtype.rank != right.dtype.rank {
        return left.dtype.rank > right.dtype.rank
      }
      return left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
    }

    var json = "{"
    var members: [String] = []
    if let metadata {
      let fields = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        .map { "\(compactJSONString($0.key)):\(compactJSONString($0.value))" }
      members.append("\"\(SafeTensorsHeader.metadataKey)\":{" + fields.joined(separator: ",") + "}")
    }
    var offset = 0
    for entry in ordered {
      let shape = entry.shape.map(String.init).joined(separator: ",")
      members.append(
        "\(compactJSONString(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],"
          + "\"data_offsets\":[\(offset),\(offset + entry.byteCount)]}")
      offset += entry.byteCount
    }
    json += members.joined(separator: ",") + "}"

    var headerText = Array(json.utf8)
    headerText.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerText.count % 8) % 8))
    var header = withUnsafeBytes(of: UInt64(headerText.count).littleEndian) { Array($0) }
    header.append(contentsOf: headerText)
    self.header = header
    self.dataSize = offset
  }
}

/// Encodes `text` as a JSON string the way serde_json does: quotes, backslashes and control
/// characters escaped, everything else (non-ASCII included) written as UTF-8.
func compactJSONString(_ text: String) -> String {
  var result = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    case "\u{08}": result += "\\b"
    case "\u{0C}": result += "\\f"
    case "\u{00}"..."\u{1F}": result += "\\u" + hex4(scalar.value)
    default: result.unicodeScalars.append(scalar)
    }
  }
  return result + "\""
}

/// Four lowercase hex digits, as JSON `\u` escapes use.
func hex4(_ value: UInt32) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
