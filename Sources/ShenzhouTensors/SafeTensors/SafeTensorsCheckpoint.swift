#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The tensors of a checkpoint stored as one safetensors file or as shards listed by a
/// `model.safetensors.index.json` file, the layout that Hugging Face `save_pretrained` writes.
///
/// An index is JSON of the form `{"metadata": {"total_size": N, ...}, "weight_map":
/// {"tensor name": "model-00001-of-00002.safetensors", ...}}`. Opening it maps every shard
/// and checks that each listed tensor is in its shard, that no tensor is stored in two
/// shards, and that the shards hold no tensor the index leaves out.
public final class SafeTensorsCheckpoint: Sendable {
  public static let singleFileName = "model.safetensors"
  public static let indexFileName = "model.safetensors.index.json"

  /// The safetensors file or index file the checkpoint was opened from.
  public let path: String
  /// The shard files sorted by name, or the one file.
  public let files: [SafeTensorsFile]
  /// The index's `metadata.total_size` (bytes of tensor data), or `nil` without an index.
  public let totalSize: Int?
  /// All tensor names, in file order and then data order within each file.
  public let names: [String]

  private let locations: [String: Location]

  private struct Location: Sendable {
    let file: Int
    let info: SafeTensorInfo
  }

  private init(path: String, files: [SafeTensorsFile], totalSize: Int?) {
    self.path = path
    self.files = files
    self.totalSize = totalSize
    var locations: [String: Location] = [:]
    var names: [String] = []
    for (fileIndex, file) in files.enumerated() {
      for info in file.tensors {
        locations[info.name] = Location(file: fileIndex, info: info)
        names.append(info.name)
      }
    }
    self.locations = locations
    self.names = names
  }

  // MARK: - Opening

  /// Opens a checkpoint from a folder (preferring `model.safetensors` over the index, as
  /// transformers does), an index file (any name ending in `.index.json`), or a single
  /// safetensors file.
  public static func open(_ path: String) throws(SafeTensorsError) -> SafeTensorsCheckpoint {
    if isDirectory(path) {
      let single = joinPath(path, singleFileName)
      if fileExists(single) {
        return try open(single)
      }
      let index = joinPath(path, indexFileName)
      if fileExists(index) {
        return try open(index)
      }
      throw .noCheckpoint(directory: path)
    }
    if path.hasSuffix(".index.json") {
      return try openIndex(path)
    }
    return SafeTensorsCheckpoint(path: path, files: [try SafeTensorsFile(path: path)], totalSize: nil)
  }

  private static func openIndex(_ path: String) throws(SafeTensorsError) -> SafeTensorsCheckpoint {
    let index = try SafeTensorsIndex.read(path)
    let folder = directoryName(of: path)

    var firstTensorByShard: [String: String] = [:]
    for entry in index.weightMap where firstTensorByShard[entry.shard] == nil {
      firstTensorByShard[entry.shard] = entry.tensor
    }
    var files: [SafeTensorsFile] = []
    var fileIndexByShard: [String: Int] = [:]
    for (shard, tensor) in firstTensorByShard.sorted(by: { $0.key < $1.key }) {
      let shardPath = joinPath(folder, shard)
      guard fileExists(shardPath) else {
        throw .missingShard(index: path, shard: shard, tensor: tensor)
      }
      fileIndexByShard[shard] = files.count
      files.append(try SafeTensorsFile(path: shardPath))
    }

    var shardByTensor: [String: String] = [:]
    for entry in index.weightMap {
      shardByTensor[entry.tensor] = entry.shard
      guard let fileIndex = fileIndexByShard[entry.shard], files[fileIndex].info(named: entry.tensor) != nil else {
        throw .tensorMissingFromShard(index: path, shard: entry.shard, tensor: entry.tensor)
      }
    }
    for (shard, fileIndex) in fileIndexByShard.sorted(by: { $0.value < $1.value }) {
      for name in files[fileIndex].names where shardByTensor[name] != shard {
        guard let listedShard = shardByTensor[name] else {
          throw .tensorNotInIndex(index: path, shard: shard, tensor: name)
        }
        throw .tensorInTwoShards(index: path, tensor: name, shards: [listedShard, shard])
      }
    }
    return SafeTensorsCheckpoint(path: path, files: files, totalSize: index.totalSize)
  }

  // MARK: - Lookup

  public func info(named name: String) -> SafeTensorInfo? {
    locations[name]?.info
  }

  /// Returns a view of the named tensor's bytes, valid while the view exists.
  public func tensor(named name: String) throws(SafeTensorsError) -> SafeTensorView {
    guard let location = locations[name] else {
      throw .tensorNotFound(file: path, tensor: name)
    }
    return files[location.file].view(of: location.info)
  }
}

// MARK: - Index file

/// The parsed `weight_map` and `metadata.total_size` of a shard index.
struct SafeTensorsIndex {
  struct Entry {
    let tensor: String
    let shard: String
  }

  var weightMap: [Entry]
  var totalSize: Int?

  static func read(_ path: String) throws(SafeTensorsError) -> SafeTensorsIndex {
    let storage = try SafeTensorsStorage.map(path: path)
    let json: SafeTensorsJSON
    do {
      json = try SafeTensorsJSONParser.parse(Array(storage.bytes))
    } catch {
      throw .invalidIndex(file: path, detail: "not valid JSON: \(error.description)")
    }
    guard case .object(let members) = json else {
      throw .invalidIndex(file: path, detail: "the top level is \(json.typeName), expected an object")
    }

    var totalSize: Int?
    if let metadata = members.first(where: { $0.key == "metadata" })?.value {
      guard case .object(let fields) = metadata else {
        throw .invalidIndex(file: path, detail: "metadata is \(metadata.typeName), expected an object")
      }
      if let size = fields.first(where: { $0.key == "total_size" })?.value {
        guard case .integer(let bytes) = size, bytes >= 0 else {
          throw .invalidIndex(file: path, detail: "metadata.total_size is \(size.typeName), expected a non-negative integer")
        }
        totalSize = bytes
      }
    }

    guard let weightMap = members.first(where: { $0.key == "weight_map" })?.value else {
      throw .invalidIndex(file: path, detail: "weight_map is missing")
    }
    guard case .object(let mappings) = weightMap else {
      throw .invalidIndex(file: path, detail: "weight_map is \(weightMap.typeName), expected an object")
    }
    var entries: [Entry] = []
    var seen: Set<String> = []
    for (tensor, value) in mappings {
      guard seen.insert(tensor).inserted else {
        throw .invalidIndex(file: path, detail: "weight_map lists tensor \"\(tensor)\" twice")
      }
      guard case .string(let shard) = value else {
        throw .invalidIndex(file: path, detail: "weight_map[\"\(tensor)\"] is \(value.typeName), expected a file name")
      }
      guard !shard.isEmpty, !shard.contains("/"), shard != ".", shard != ".." else {
        throw .invalidIndex(
          file: path, detail: "weight_map[\"\(tensor)\"] is \"\(shard)\", expected a file name in the index's folder")
      }
      entries.append(Entry(tensor: tensor, shard: shard))
    }
    return SafeTensorsIndex(weightMap: entries, totalSize: totalSize)
  }
}

// MARK: - Paths

func joinPath(_ directory: String, _ name: String) -> String {
  directory.hasSuffix("/") ? directory + name : directory + "/" + name
}

/// Returns the folder part of `path`, or `.` when it has none.
func directoryName(of path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "." }
  return slash == path.startIndex ? "/" : String(path[..<slash])
}

func fileExists(_ path: String) -> Bool {
  var status = stat()
  return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
}

func isDirectory(_ path: String) -> Bool {
  var status = stat()
  return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
}
