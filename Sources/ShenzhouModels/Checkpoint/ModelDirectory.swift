import Foundation
import ShenzhouNN

/// A Hugging Face model directory: `config.json`, weights (`model.safetensors`, a sharded
/// `model.safetensors.index.json`, or `pytorch_model.bin`) and tokenizer files.
public struct ModelDirectory: Sendable {
  public let path: String

  public init(path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CheckpointError.notADirectory(path)
    }
    self.path = path
  }

  public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

  public func config() throws -> BertConfig {
    guard exists("config.json") else { throw CheckpointError.missingFile(path, "config.json") }
    return try BertConfig.load(path: file("config.json"))
  }

  /// Which weight files the directory holds, in the order `transformers` prefers them.
  public var weightFormat: WeightFormat? {
    if exists("model.safetensors") { return .safetensors }
    if exists("model.safetensors.index.json") { return .shardedSafetensors }
    if exists("pytorch_model.bin") { return .pickle }
    if exists("pytorch_model.bin.index.json") { return .shardedPickle }
    return nil
  }

  /// Reads every weight tensor of the checkpoint.
  public func readWeights() throws -> [(String, Tensor)] {
    switch weightFormat {
    case .safetensors: return try SafeTensorsIO.read(path: file("model.safetensors"))
    case .shardedSafetensors: return try SafeTensorsIO.readSharded(indexPath: file("model.safetensors.index.json"))
    case .pickle: return try loadPickledStateDict(path: file("pytorch_model.bin"))
    case .shardedPickle: return try readShardedPickle()
    case nil: throw CheckpointError.missingFile(path, "model.safetensors, model.safetensors.index.json or pytorch_model.bin")
    }
  }

  private func readShardedPickle() throws -> [(String, Tensor)] {
    let indexPath = file("pytorch_model.bin.index.json")
    guard let data = FileManager.default.contents(atPath: indexPath) else {
      throw CheckpointError.missingFile(path, "pytorch_model.bin.index.json")
    }
    let index: JSONValue
    do {
      index = try JSONValue.parse(data)
    } catch {
      throw CheckpointError.invalidIndex(indexPath, "not valid JSON: \(error)")
    }
    guard let weightMap = index["weight_map"]?.objectValue else {
      throw CheckpointError.invalidIndex(indexPath, "has no \"weight_map\" object")
    }
    var shards: [String] = []
    for (key, value) in weightMap {
      guard let shard = value.stringValue else {
        throw CheckpointError.invalidIndex(indexPath, "weight_map entry \"\(key)\" is not a file name")
      }
      if !shards.contains(shard) { shards.append(shard) }
    }
    var entries: [(String, Tensor)] = []
    for shard in shards.sorted() {
      guard exists(shard) else { throw CheckpointError.missingFile(path, shard) }
      entries += try loadPickledStateDict(path: file(shard))
    }
    return entries
  }
}

public enum WeightFormat: Sendable {
  case safetensors, shardedSafetensors, pickle, shardedPickle
}

public enum CheckpointError: Error, CustomStringConvertible, Sendable {
  case notADirectory(String)
  case missingFile(String, String)
  case invalidIndex(String, String)
  case writeFailed(String, String)

  public var description: String {
    switch self {
    case .notADirectory(let path):
      "model directory \(path) does not exist or is not a directory"
    case .missingFile(let directory, let name):
      "\(directory) has no \(name); a Hugging Face model directory needs config.json and weights"
    case .invalidIndex(let path, let message):
      "\(path): \(message)"
    case .writeFailed(let path, let message):
      "cannot write \(path): \(message)"
    }
  }
}
