/// A safetensors file, memory-mapped and validated when opened.
///
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to
/// the data section) plus an optional `__metadata__` string map, then the data section.
/// Opening checks every rule the format sets: tensors must tile the data section exactly,
/// without gaps or overlaps, and each must span product(shape) × item size bytes.
public final class SafeTensorsFile: Sendable {
  /// The largest accepted header, the same limit as the safetensors library (100 MB).
  public static let maxHeaderSize = 100_000_000

  /// The path the file was opened from, used in error messages.
  public let path: String
  /// The `__metadata__` map, or `nil` when the header has none.
  public let metadata: [String: String]?
  /// The tensor entries in data-section order.
  public let tensors: [SafeTensorInfo]

  let storage: SafeTensorsStorage
  private let dataStart: Int
  private let indexByName: [String: Int]

  /// Maps and validates the file at `path`.
  public convenience init(path: String) throws(SafeTensorsError) {
    try self.init(storage: SafeTensorsStorage.map(path: path), path: path)
  }

  /// Validates a safetensors file held in memory. Errors show `name` in place of a path.
  public convenience init(bytes: [UInt8], name: String = "<memory>") throws(SafeTensorsError) {
    try self.init(storage: SafeTensorsStorage.copy(bytes), path: name)
  }

  private init(storage: SafeTensorsStorage, path: String) throws(SafeTensorsError) {
    let header = try SafeTensorsHeader.parse(storage.bytes, file: path)
    self.storage = storage
    self.path = path
    self.metadata = header.metadata
    self.tensors = header.tensors
    self.dataStart = header.dataStart
    var indexByName: [String: Int] = [:]
    for (index, info) in header.tensors.enumerated() {
      indexByName[info.name] = index
    }
    self.indexByName = indexByName
  }

  // MARK: - Lookup

  /// The tensor names in data-section order.
  public var names: [String] { tensors.map(\.name) }

  public func info(named name: String) -> SafeTensorInfo? {
    indexByName[name].map { tensors[$0] }
  }

  /// Returns a view of the named tensor's bytes, valid while the view exists.
  public func tensor(named name: String) throws(SafeTensorsError) -> SafeTensorView {
    guard let info = info(named: name) else {
      throw .tensorNotFound(file: path, tensor: name)
    }
    return view(of: info)
  }

  func view(of info: SafeTensorInfo) -> SafeTensorView {
    let start = dataStart + info.dataOffsets.lowerBound
    let bytes = UnsafeRawBufferPointer(rebasing: storage.bytes[start..<start + info.byteCount])
    return SafeTensorView(info: info, bytes: bytes, storage: storage)
  }
}
