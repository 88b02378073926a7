import ShenzhouNN

/// Why a checkpoint does not fit a model: every missing key, unexpected key and shape mismatch at once.
public struct CheckpointMismatchError: Error, CustomStringConvertible, Sendable {
  public let source: String
  public let missingKeys: [String]
  public let unexpectedKeys: [String]
  /// (key, shape in the model, shape in the checkpoint)
  public let shapeMismatches: [(String, [Int], [Int])]

  public var description: String {
    var lines = ["\(source) does not match the model:"]
    if !missingKeys.isEmpty {
      lines.append("  missing keys (\(missingKeys.count)): \(missingKeys.joined(separator: ", "))")
    }
    if !unexpectedKeys.isEmpty {
      lines.append("  unexpected keys (\(unexpectedKeys.count)): \(unexpectedKeys.joined(separator: ", "))")
    }
    for (key, modelShape, checkpointShape) in shapeMismatches {
      lines.append("  shape mismatch for \(key): model has \(modelShape), checkpoint has \(checkpointShape)")
    }
    return lines.joined(separator: "\n")
  }
}

/// Keys a successful load skipped, for the caller to report as warnings.
public struct LoadReport: Sendable {
  /// Checkpoint entries the model has no place for (e.g. `cls.seq_relationship.*` when loading a masked-LM model).
  public var unusedKeys: [String] = []
  /// Model parameters left at their initial values because the caller allowed them to be missing.
  public var initializedKeys: [String] = []
}

extension Module {
  /// Copies checkpoint tensors into this module's parameters, matching Hugging Face key conventions:
  /// legacy `LayerNorm.gamma`/`beta` names, a missing or extra base-model prefix (`bert.`), tied decoder weights
  /// and buffers such as `position_ids` are handled as `transformers` does.
  ///
  /// - Parameters:
  ///   - entries: checkpoint tensors by name.
  ///   - basePrefix: the base model's prefix in this module's keys (`"bert"`), or "" when this is the base model.
  ///   - ignorableUnused: key prefixes that may be present and unused without failing (e.g. other heads).
  ///   - allowedMissing: key prefixes that may be absent and keep their initial values (e.g. a new classifier).
  /// - Throws: `CheckpointMismatchError` listing every problem when a required key is missing, a shape differs,
  ///   or a key is unexpected and not ignorable.
  @discardableResult
  public func loadStateDict(
    _ entries: [(String, Tensor)], source: String, basePrefix: String = "bert", ignorableUnused: [String] = [],
    allowedMissing: [String] = []
  ) throws -> LoadReport {
    let parameters = allParameterPaths()
    let expected = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
    let normalized = normalizeKeys(entries, expected: Set(expected.keys), basePrefix: basePrefix)

    var missing: [String] = []
    var mismatches: [(String, [Int], [Int])] = []
    var report = LoadReport()
    var assignments: [(Parameter, Tensor)] = []
    var assigned = Set<ObjectIdentifier>()
    for (key, parameter) in parameters {
      guard let tensor = normalized[key] ?? tiedFallback(key: key, normalized: normalized, basePrefix: basePrefix)
      else {
        if assigned.contains(ObjectIdentifier(parameter)) { continue }  // tied to a key that was present
        if allowedMissing.contains(where: { key.hasPrefix($0) }) {
          report.initializedKeys.append(key)
        } else {
          missing.append(key)
        }
        continue
      }
      let modelShape = parameter.value.shape
      if tensor.shape != modelShape {
        mismatches.append((key, modelShape, tensor.shape))
        continue
      }
      if assigned.insert(ObjectIdentifier(parameter)).inserted {
        assignments.append((parameter, tensor))
      }
    }
    // Tied parameters met first under a missing alias are fine once their other name was found.
    missing.removeAll { key in expected[key].map { assigned.contains(ObjectIdentifier($0)) } ?? false }

    var unexpected: [String] = []
    for key in normalized.keys.sorted() where expected[key] == nil {
      if Self.isKnownBuffer(key) { continue }
      if ignorableUnused.contains(where: { key.hasPrefix($0) }) {
        report.unusedKeys.append(key)
      } else {
        unexpected.append(key)
      }
    }

    if !missing.isEmpty || !mismatches.isEmpty || !unexpected.isEmpty {
      throw CheckpointMismatchError(
        source: source, missingKeys: missing, unexpectedKeys: unexpected, shapeMismatches: mismatches)
    }
    try withNoGrad {
      for (parameter, tensor) in assignments { try parameter.value.assign(tensor) }
    }
    return report
  }

  /// Buffers that checkpoints carry but that are not parameters here, and the decoder-bias alias of
  /// `cls.predictions.bias`.
  static func isKnownBuffer(_ key: String) -> Bool {
    key.hasSuffix("embeddings.position_ids") || key.hasSuffix("embeddings.token_type_ids")
      || key == "cls.predictions.decoder.bias"
  }

  private func normalizeKeys(_ entries: [(String, Tensor)], expected: Set<String>, basePrefix: String)
    -> [String: Tensor]
  {
    var result: [String: Tensor] = [:]
    let prefixed = basePrefix.isEmpty ? "" : basePrefix + "."
    let expectsPrefix = !prefixed.isEmpty && expected.contains { $0.hasPrefix(prefixed) }
    for (rawKey, tensor) in entries {
      var key = rawKey
      if key.hasSuffix(".gamma") { key = String(key.dropLast(6)) + ".weight" }
      if key.hasSuffix(".beta") { key = String(key.dropLast(5)) + ".bias" }
      if expectsPrefix, !key.hasPrefix(prefixed), expected.contains(prefixed + key) {
        key = prefixed + key  // a bare BertModel checkpoint loaded into a model with a head
      } else if prefixed.isEmpty == false, !expectsPrefix, key.hasPrefix(prefixed) {
        key = String(key.dropFirst(prefixed.count))  // a model-with-head checkpoint loaded into a BertModel
      } else if basePrefix.isEmpty, key.hasPrefix("bert."), expected.contains(String(key.dropFirst(5))) {
        key = String(key.dropFirst(5))
      }
      result[key] = tensor
    }
    return result
  }

  /// The MLM decoder bias is stored as `cls.predictions.bias` or `cls.predictions.decoder.bias`, and the decoder
  /// weight may be stored explicitly instead of through the tie.
  private func tiedFallback(key: String, normalized: [String: Tensor], basePrefix: String) -> Tensor? {
    switch key {
    case "cls.predictions.bias": normalized["cls.predictions.decoder.bias"]
    case "cls.predictions.decoder.weight": normalized["\(basePrefix).embeddings.word_embeddings.weight"]
    default: nil
    }
  }
}
