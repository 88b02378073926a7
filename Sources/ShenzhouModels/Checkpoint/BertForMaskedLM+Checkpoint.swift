import Foundation
import ShenzhouNN

extension BertForMaskedLM {
  /// Loads a Hugging Face BERT directory (also HFL's Chinese RoBERTa-wwm, which is BERT underneath).
  /// A `bert.pooler` in the checkpoint is kept; other pretraining heads (`cls.seq_relationship`) are reported as
  /// unused. A checkpoint without an MLM head (a bare encoder) fails unless `allowMissingHead` is set.
  public static func load(directory: ModelDirectory, allowMissingHead: Bool = false) throws
    -> (model: BertForMaskedLM, report: LoadReport)
  {
    let config = try directory.config()
    let entries = try directory.readWeights()
    let hasPooler = entries.contains { $0.0.hasPrefix("bert.pooler.") || $0.0.hasPrefix("pooler.") }
    let model = try BertForMaskedLM(config: config, addPoolingLayer: hasPooler)
    let report = try model.loadStateDict(
      entries, source: directory.path, ignorableUnused: ["cls.seq_relationship."],
      allowedMissing: allowMissingHead ? ["cls."] : [])
    model.eval()
    return (model, report)
  }

  /// Writes config.json and model.safetensors that `transformers` loads as `BertForMaskedLM`. The tied decoder
  /// weight is stored once, as `bert.embeddings.word_embeddings.weight`, like `save_pretrained` does.
  public func save(to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let config = self.config.json(architecture: "BertForMaskedLM")
    try AtomicFile.write(config.serialized() + "\n", to: (directory as NSString).appendingPathComponent("config.json"))
    try SafeTensorsIO.write(
      namedParameters().map { ($0.0, $0.1.value) }, metadata: ["format": "pt"],
      to: (directory as NSString).appendingPathComponent("model.safetensors"))
  }
}

/// Writes files through a temporary name and a rename, so a crash never leaves a half-written file in place.
public enum AtomicFile {
  public static func write(_ text: String, to path: String) throws {
    try write(Data(text.utf8), to: path)
  }

  public static func write(_ data: Data, to path: String) throws {
    let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    do {
      try data.write(to: URL(fileURLWithPath: temporary))
      if rename(temporary, path) != 0 {
        let message = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: temporary)
        throw CheckpointError.writeFailed(path, message)
      }
    } catch let error as CheckpointError {
      throw error
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw CheckpointError.writeFailed(path, "\(error)")
    }
  }
}
