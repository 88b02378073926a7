import Foundation
import ShenzhouNN

/// Hyperparameters of a BERT encoder, read from and written to a Hugging Face `config.json`.
///
/// Field names in the JSON file are Hugging Face's. Fields this type does not model are kept in `extraFields` and
/// written back unchanged, so a config survives a load and save round trip.
public struct BertConfig: Sendable, Equatable {
  public var vocabSize = 21128
  public var hiddenSize = 768
  public var numHiddenLayers = 12
  public var numAttentionHeads = 12
  public var intermediateSize = 3072
  public var hiddenAct = Activation.gelu
  public var hiddenDropoutProb = 0.1
  public var attentionProbsDropoutProb = 0.1
  public var maxPositionEmbeddings = 512
  public var typeVocabSize = 2
  public var initializerRange = 0.02
  public var layerNormEps = 1e-12
  public var padTokenId = 0
  /// Class names for classification heads, by class index (`id2label`).
  public var id2label: [Int: String] = [:]
  /// Cross-layer attention residual (`shenzhou_attention_residual`); nil uses the fused attention kernel.
  public var attentionResidual: AttentionResidualConfig?
  /// Other `config.json` fields, kept verbatim as JSON values.
  public var extraFields: [String: JSONValue] = [:]

  public init() {}

  public var headDimension: Int { hiddenSize / numAttentionHeads }

  /// Checks the relations between fields that a model needs.
  public func validate(source: String = "config") throws {
    func require(_ condition: Bool, _ field: String, _ message: String) throws {
      if !condition { throw ConfigError(source: source, field: field, message: message) }
    }
    try require(vocabSize > 0, "vocab_size", "must be positive, got \(vocabSize)")
    try require(hiddenSize > 0, "hidden_size", "must be positive, got \(hiddenSize)")
    try require(numHiddenLayers > 0, "num_hidden_layers", "must be positive, got \(numHiddenLayers)")
    try require(numAttentionHeads > 0, "num_attention_heads", "must be positive, got \(numAttentionHeads)")
    try require(
      hiddenSize % numAttentionHeads == 0, "num_attention_heads",
      "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
    try require(intermediateSize > 0, "intermediate_size", "must be positive, got \(intermediateSize)")
    try require(maxPositionEmbeddings > 0, "max_position_embeddings", "must be positive")
    try require(typeVocabSize > 0, "type_vocab_size", "must be positive")
    try require(layerNormEps > 0, "layer_norm_eps", "must be positive, got \(layerNormEps)")
    try require(
      (0..<1).contains(hiddenDropoutProb), "hidden_dropout_prob", "must be in [0, 1), got \(hiddenDropoutProb)")
    try require(
      (0..<1).contains(attentionProbsDropoutProb), "attention_probs_dropout_prob",
      "must be in [0, 1), got \(attentionProbsDropoutProb)")
    try attentionResidual?.validate(heads: numAttentionHeads, source: source)
  }
}

/// An invalid or missing configuration field.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
  public let source: String
  public let field: String
  public let message: String

  public var description: String { "\(source): field \"\(field)\" \(message)" }
}

// MARK: - config.json

extension BertConfig {
  private static let modelledKeys: Set<String> = [
    "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
    "hidden_dropout_prob", "attention_probs_dropout_prob", "max_position_embeddings", "type_vocab_size",
    "initializer_range", "layer_norm_eps", "pad_token_id", "id2label", "label2id",
    "shenzhou_attention_residual",
  ]

  /// Reads `config.json` at `path`.
  public static func load(path: String) throws -> BertConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(source: path, field: "-", message: "cannot be read: the file is missing or unreadable")
    }
    let root: JSONValue
    do {
      root = try JSONValue.parse(data)
    } catch {
      throw ConfigError(source: path, field: "-", message: "is not valid JSON: \(error)")
    }
    return try BertConfig(json: root, source: path)
  }

  public init(json: JSONValue, source: String) throws {
    guard case .object(let fields) = json else {
      throw ConfigError(source: source, field: "-", message: "must be a JSON object")
    }
    if let type = fields["model_type"]?.stringValue, !["bert", "roberta"].contains(type) {
      // RoBERTa-wwm checkpoints from HFL declare "bert"; other architectures are not BERT.
      throw ConfigError(
        source: source, field: "model_type", message: "is \"\(type)\"; shenzhou loads BERT-architecture models only")
    }
    if let kind = fields["position_embedding_type"]?.stringValue, kind != "absolute" {
      throw ConfigError(
        source: source, field: "position_embedding_type", message: "is \"\(kind)\"; only \"absolute\" is supported")
    }

    func int(_ key: String, _ fallback: Int) throws -> Int {
      guard let value = fields[key], value != .null else { return fallback }
      guard let number = value.intValue else {
        throw ConfigError(source: source, field: key, message: "must be an integer, got \(value)")
      }
      return number
    }
    func double(_ key: String, _ fallback: Double) throws -> Double {
      guard let value = fields[key], value != .null else { return fallback }
      guard let number = value.doubleValue else {
        throw ConfigError(source: source, field: key, message: "must be a number, got \(value)")
      }
      return number
    }

    var config = BertConfig()
    config.vocabSize = try int("vocab_size", config.vocabSize)
    config.hiddenSize = try int("hidden_size", config.hiddenSize)
    config.numHiddenLayers = try int("num_hidden_layers", config.numHiddenLayers)
    config.numAttentionHeads = try int("num_attention_heads", config.numAttentionHeads)
    config.intermediateSize = try int("intermediate_size", config.intermediateSize)
    config.hiddenDropoutProb = try double("hidden_dropout_prob", config.hiddenDropoutProb)
    config.attentionProbsDropoutProb = try double("attention_probs_dropout_prob", config.attentionProbsDropoutProb)
    config.maxPositionEmbeddings = try int("max_position_embeddings", config.maxPositionEmbeddings)
    config.typeVocabSize = try int("type_vocab_size", config.typeVocabSize)
    config.initializerRange = try double("initializer_range", config.initializerRange)
    config.layerNormEps = try double("layer_norm_eps", config.layerNormEps)
    config.padTokenId = try int("pad_token_id", config.padTokenId)
    if let value = fields["hidden_act"] {
      guard let name = value.stringValue, let activation = Activation(rawValue: name == "swish" ? "silu" : name)
      else {
        let allowed = Activation.allCases.map(\.rawValue).joined(separator: ", ")
        throw ConfigError(source: source, field: "hidden_act", message: "must be one of \(allowed), got \(value)")
      }
      config.hiddenAct = activation
    }
    if let value = fields["shenzhou_attention_residual"], value != .null {
      config.attentionResidual = try AttentionResidualConfig(json: value, source: source)
    }
    if case .object(let labels)? = fields["id2label"] {
      for (key, value) in labels {
        guard let index = Int(key), let label = value.stringValue else {
          throw ConfigError(source: source, field: "id2label", message: "must map integer strings to label strings")
        }
        config.id2label[index] = label
      }
    }
    config.extraFields = fields.filter { !Self.modelledKeys.contains($0.key) }
    try config.validate(source: source)
    self = config
  }

  /// Returns the config as a Hugging Face `config.json` object.
  public func json(architecture: String? = nil) -> JSONValue {
    var fields = extraFields
    fields["model_type"] = .string("bert")
    if let architecture { fields["architectures"] = .array([.string(architecture)]) }
    fields["vocab_size"] = .number(Double(vocabSize))
    fields["hidden_size"] = .number(Double(hiddenSize))
    fields["num_hidden_layers"] = .number(Double(numHiddenLayers))
    fields["num_attention_heads"] = .number(Double(numAttentionHeads))
    fields["intermediate_size"] = .number(Double(intermediateSize))
    fields["hidden_act"] = .string(hiddenAct.rawValue)
    fields["hidden_dropout_prob"] = .number(hiddenDropoutProb)
    fields["attention_probs_dropout_prob"] = .number(attentionProbsDropoutProb)
    fields["max_position_embeddings"] = .number(Double(maxPositionEmbeddings))
    fields["type_vocab_size"] = .number(Double(typeVocabSize))
    fields["initializer_range"] = .number(initializerRange)
    fields["layer_norm_eps"] = .number(layerNormEps)
    fields["pad_token_id"] = .number(Double(padTokenId))
    if fields["position_embedding_type"] == nil { fields["position_embedding_type"] = .string("absolute") }
    if let attentionResidual {
      fields["shenzhou_attention_residual"] = attentionResidual.json
    }
    if !id2label.isEmpty {
      var forward: [String: JSONValue] = [:]
      var backward: [String: JSONValue] = [:]
      for (index, label) in id2label {
        forward[String(index)] = .string(label)
        backward[label] = .number(Double(index))
      }
      fields["id2label"] = .object(forward)
      fields["label2id"] = .object(backward)
    }
    return .object(fields)
  }
}
