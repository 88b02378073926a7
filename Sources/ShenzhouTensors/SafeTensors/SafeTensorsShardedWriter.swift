import Foundation

/// The files that ``SafeTensorsWriter/writeCheckpoint(_:to:maxShardSize:metadata:totalParameters:)``
/// wrote.
public struct SafeTensorsCheckpointFiles: Sendable, Equatable {
  /// The safetensors files written, in shard order.
  public let files: [String]
  /// The index file, or `nil` when everything fit in one `model.safetensors`.
  public let indexFile: String?
}

extension SafeTensorsWriter {
  /// The default shard size of Hugging Face `save_pretrained`: 5 GB in decimal units.
  public static let defaultMaxShardSize = 5_000_000_000

  /// Writes `entries` into `directory` the way Hugging Face `save_pretrained` does.
  ///
  /// Entries go to shards in the given order, and a shard is closed when the next tensor
  /// would push its data past `maxShardSize` bytes. A tensor larger than the limit gets a
  /// shard of its own. One shard is written as `model.safetensors` without an index.
  /// Several are written as `model-00001-of-0000N.safetensors` plus
  /// `model.safetensors.index.json`, which records `total_size` (tensor bytes),
  /// `total_parameters` when given, and the `weight_map`, as JSON with sorted keys and a
  /// 2-space indent. Every file is written atomically, the index last. Files of an earlier
  /// save that the new one does not replace (other shard counts, a single file or index of
  /// the other kind) are removed afterwards.
  @discardableResult
  public static func writeCheckpoint(
    _ entries: [SafeTensorsEntry],
    to directory: String,
    maxShardSize: Int = defaultMaxShardSize,
    metadata: [String: String]? = pytorchMetadata,
    totalParameters: Int? = nil
  ) throws(SafeTensorsError) -> SafeTensorsCheckpointFiles {
    guard maxShardSize > 0 else {
      throw .writeFailed(file: directory, reason: "maxShardSize must be positive, got \(maxShardSize)")
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw .writeFailed(file: directory, reason: "cannot create the folder: \(error.localizedDescription)")
    }
    _ = try SafeTensorsLayout(entries, metadata: metadata)

    let shards = splitIntoShards(entries, maxShardSize: maxShardSize)
    if shards.count <= 1 {
      let path = joinPath(directory, SafeTensorsCheckpoint.singleFileName)
      try write(shards.first ?? [], metadata: metadata, to: path)
      removeStaleFiles(in: directory, keeping: [SafeTensorsCheckpoint.singleFileName])
      return SafeTensorsCheckpointFiles(files: [path], indexFile: nil)
    }

    var names: [String] = []
    var weightMap: [(tensor: String, shard: String)] = []
    for (index, shard) in shards.enumerated() {
      let name = shardFileName(index: index + 1, count: shards.count)
      try write(shard, metadata: metadata, to: joinPath(directory, name))
      names.append(name)
      weightMap += shard.map { ($0.name, name) }
    }

    var indexMetadata = [("total_size", entries.reduce(0) { $0 + $1.byteCount })]
    if let totalParameters {
      indexMetadata.append(("total_parameters", totalParameters))
    }
    let indexPath = joinPath(directory, SafeTensorsCheckpoint.indexFileName)
    let indexText = indexJSON(metadata: indexMetadata, weightMap: weightMap)
    try AtomicFileOutput.write(to: indexPath) { (output: inout AtomicFileOutput) throws(SafeTensorsError) in
      try output.append(Array(indexText.utf8))
    }

    removeStaleFiles(in: directory, keeping: Set(names + [SafeTensorsCheckpoint.indexFileName]))
    return SafeTensorsCheckpointFiles(files: names.map { joinPath(directory, $0) }, indexFile: indexPath)
  }

  // MARK: - Sharding

  static func splitIntoShards(_ entries: [SafeTensorsEntry], maxShardSize: Int) -> [[SafeTensorsEntry]] {
    var shards: [[SafeTensorsEntry]] = []
    var current: [SafeTensorsEntry] = []
    var currentSize = 0
    for entry in entries {
      if entry.byteCount > maxShardSize {
        shards.append([entry])
        continue
      }
      if currentSize + entry.byteCount > maxShardSize, !current.isEmpty {
        shards.append(current)
        current = []
        currentSize = 0
      }
      current.append(entry)
      currentSize += entry.byteCount
    }
    if !current.isEmpty {
      shards.append(current)
    }
    return shards
  }

  static func shardFileName(index: Int, count: Int) -> String {
    "model-\(zeroPadded(index))-of-\(zeroPadded(count)).safetensors"
  }

  private static func zeroPadded(_ number: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
  }

  /// Formats the index as Python's `json.dumps(index, indent=2, sort_keys=True) + "\n"`
  /// does, with non-ASCII characters escaped as `\uXXXX`.
  static func indexJSON(metadata: [(String, Int)], weightMap: [(tensor: String, shard: String)]) -> String {
    let sortedMetadata = metadata.sorted { pythonOrder($0.0, $1.0) }
    let sortedMap = weightMap.sorted { pythonOrder($0.tensor, $1.tensor) }
    var lines = ["{", "  \"metadata\": {"]
    lines += sortedMetadata.enumerated().map { index, field in
      "    \(asciiJSONString(field.0)): \(field.1)" + (index < sortedMetadata.count - 1 ? "," : "")
    }
    lines += ["  },", "  \"weight_map\": {"]
    lines += sortedMap.enumerated().map { index, entry in
      "    \(asciiJSONString(entry.tensor)): \(asciiJSONString(entry.shard))" + (index < sortedMap.count - 1 ? "," : "")
    }
    lines += ["  }", "}"]
    return lines.joined(separator: "\n") + "\n"
  }

  /// Python's string order: by code point.
  private static func pythonOrder(_ left: String, _ right: String) -> Bool {
    left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars) { $0.value < $1.value }
  }

  /// Encodes `text` as Python's `json.dumps` does with `ensure_ascii=True`.
  private static func asciiJSONString(_ text: String) -> String {
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
      case " "..."~": result.unicodeScalars.append(scalar)
      default:
        for unit in String(scalar).utf16 {
          result += "\\u" + hex4(UInt32(unit))
        }
      }
    }
    return result + "\""
  }

  // MARK: - Cleanup

  /// Removes `model.safetensors`, the index and `model-NNNNN-of-NNNNN.safetensors` files
  /// in `directory` that are not in `keeping`. Failures are ignored because the new
  /// checkpoint is complete either way.
  private static func removeStaleFiles(in directory: String, keeping: Set<String>) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    for name in names where !keeping.contains(name) && isCheckpointFileName(name) {
      try? FileManager.default.removeItem(atPath: joinPath(directory, name))
    }
  }

  static func isCheckpointFileName(_ name: String) -> Bool {
    if name == SafeTensorsCheckpoint.singleFileName || name == SafeTensorsCheckpoint.indexFileName {
      return true
    }
    let scalars = Array(name.utf8)
    let prefix = Array("model-".utf8)
    let middle = Array("-of-".utf8)
    let suffix = Array(".safetensors".utf8)
    guard scalars.count == prefix.count + 5 + middle.count + 5 + suffix.count else { return false }
    let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    let first = scalars[prefix.count..<prefix.count + 5]
    let secondStart = prefix.count + 5 + middle.count
    let second = scalars[secondStart..<secondStart + 5]
    return scalars.starts(with: prefix)
      && Array(scalars[prefix.count + 5..<secondStart]) == middle
      && scalars.suffix(suffix.count).elementsEqual(suffix)
      && first.allSatisfy(isDigit) && second.allSatisfy(isDigit)
  }
}
