import Foundation
import ShenzhouModels

extension Finetuner {
  /// Tokenizer files copied from `tokenizerDirectory` into saved checkpoints, when present.
  static var tokenizerFiles: [String] {
    ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
  }

  // MARK: - In-memory snapshots

  /// Returns copies of every parameter's current value.
  func snapshot() throws -> [(Parameter, Tensor)] {
    try withNoGrad {
      try model.namedParameters().map { ($0.1, try $0.1.value.cloned()) }
    }
  }

  func restore(_ snapshot: [(Parameter, Tensor)]) throws {
    try withNoGrad {
      for (parameter, value) in snapshot { try parameter.value.assign(value) }
    }
  }

  // MARK: - Files

  /// Saves the model as `<outputDirectory>/best`, with the tokenizer files and `eval_results.json`, and returns
  /// the directory; returns nil without `outputDirectory`.
  ///
  /// The checkpoint is written into a temporary sibling directory first and then renamed, so `best` is either the
  /// previous checkpoint or the new one, never a partial write. Between removing the old directory and the
  /// rename there is a moment without `best`.
  func saveBestCheckpoint(_ record: FinetuneEvaluationRecord) throws -> String? {
    guard let root = config.outputDirectory else { return nil }
    let final = root + "/best"
    let partial = root + "/best.partial-\(ProcessInfo.processInfo.processIdentifier)"
    let files = FileManager.default
    do {
      try? files.removeItem(atPath: partial)
      try model.save(to: partial)
      if let source = config.tokenizerDirectory {
        for name in Self.tokenizerFiles where files.fileExists(atPath: source + "/" + name) {
          try files.copyItem(atPath: source + "/" + name, toPath: partial + "/" + name)
        }
      }
      try AtomicFile.write(evaluationJSON(record).serialized() + "\n", to: partial + "/eval_results.json")
      if files.fileExists(atPath: final) { try files.removeItem(atPath: final) }
      try files.moveItem(atPath: partial, toPath: final)
    } catch {
      try? files.removeItem(atPath: partial)
      throw FinetuneError.writeFailed(path: final, message: "\(error)")
    }
    return final
  }

  func evaluationJSON(_ record: FinetuneEvaluationRecord) -> JSONValue {
    .object([
      "step": .number(Double(record.step)),
      "epoch": .number(Double(record.epoch)),
      "primary_metric": .string(record.metrics.primary),
      "metrics": .object(record.metrics.values.mapValues { $0.isFinite ? .number($0) : .null }),
    ])
  }

  /// Writes the run's settings to `<outputDirectory>/finetune_config.json`, creating the directory.
  func writeRunConfig() throws {
    guard let root = config.outputDirectory else { return }
    let path = root + "/finetune_config.json"
    do {
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.keyEncodingStrategy = .convertToSnakeCase
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try AtomicFile.write(try encoder.encode(config) + Data("\n".utf8), to: path)
    } catch {
      throw FinetuneError.writeFailed(path: path, message: "\(error)")
    }
  }
}
