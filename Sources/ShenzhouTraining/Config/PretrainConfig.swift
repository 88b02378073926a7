import Foundation
import ShenzhouData
import ShenzhouModels

/// Every setting of a pretraining run. Each field has a default; `PretrainConfig.keys` documents them under the
/// dotted names that config files (nested JSON objects) and `--set key=value` use.
public struct PretrainConfig: Sendable {
  // MARK: run
  public var outputDirectory = "runs/pretrain"
  public var seed = 42
  public var device = "cpu"
  public var threads = 0
  public var maxSteps = 1000
  public var maxMinutes = 0.0
  public var logEvery = 10
  public var saveEvery = 200
  public var keepLast = 2
  public var resume = true

  // MARK: data
  public var corpus = ""
  public var maxSeqLength = 128
  public var batchSize = 16
  public var crossDocuments = true
  public var prefetchBatches = 4

  // MARK: masking
  public var maskingStrategy = "whole_word"
  public var maskingRatio = 0.15
  public var maskingRatioRange: [Double] = []
  public var replacementScope = "token"
  public var spanP = 0.2
  public var spanMaxLength = 10
  public var maskProbability = 0.8
  public var randomTokenProbability = 0.1

  // MARK: model
  public var initFrom = ""
  public var hiddenSize = 256
  public var numHiddenLayers = 4
  public var numAttentionHeads = 4
  public var intermediateSize = 1024
  public var maxPositionEmbeddings = 512
  public var hiddenAct = "gelu"
  public var hiddenDropout = 0.1
  public var attentionDropout = 0.1
  public var attentionResidualMode = "none"
  public var attentionResidualDecay: [Double] = [1.0]

  // MARK: objectives
  public var rdropAlpha = 0.0
  public var emaAlpha = 0.0
  public var emaMomentum = 0.999
  public var layerwiseLayers: [Int] = []
  public var layerwiseWeights: [Double] = []
  public var layerwiseTemperature = 1.0
  public var autoregressiveGroups = 1

  // MARK: optimization
  public var optimizer = "adamw"
  public var learningRate = 5e-4
  public var weightDecay = 0.01
  public var beta1 = 0.9
  public var beta2 = 0.999
  public var epsilon = 1e-6
  public var schedule = "linear"
  public var warmupSteps = 100
  public var minLearningRateRatio = 0.0
  public var gradientClip = 1.0
  public var gradientAccumulation = 1

  // MARK: precision and memory
  public var precision = "fp32"
  public var initialLossScale = 65536.0
  public var lossScaleWindow = 1000
  public var gradientCheckpointing = false

  public init() {}
}

/// An invalid config file, key or value.
public struct PretrainConfigError: Error, CustomStringConvertible, Sendable {
  public let source: String
  public let key: String
  public let message: String

  public init(source: String, key: String, message: String) {
    self.source = source
    self.key = key
    self.message = message
  }

  public var description: String { "\(source): \(key): \(message)" }
}

/// One documented setting.
public struct PretrainConfigKey: Sendable {
  public enum Kind: String, Sendable {
    case int = "integer", double = "number", bool = "boolean", string = "string"
    case doubleList = "list of numbers", intList = "list of integers"
  }

  public let name: String
  public let kind: Kind
  public let help: String
  let read: @Sendable (PretrainConfig) -> JSONValue
  let write: @Sendable (inout PretrainConfig, JSONValue) -> Bool
}

extension PretrainConfig {
  private static func int(
    _ name: String, _ path: any WritableKeyPath<PretrainConfig, Int> & Sendable, _ help: String
  ) -> PretrainConfigKey {
    PretrainConfigKey(
      name: name, kind: .int, help: help, read: { .number(Double($0[keyPath: path])) },
      write: { config, value in
        guard let number = value.intValue else { return false }
        config[keyPath: path] = number
        return true
      })
  }

  private static func double(
    _ name: String, _ path: any WritableKeyPath<PretrainConfig, Double> & Sendable, _ help: String
  ) -> PretrainConfigKey {
    PretrainConfigKey(
      name: name, kind: .double, help: help, read: { .number($0[keyPath: path]) },
      write: { config, value in
        guard let number = value.doubleValue, number.isFinite else { return false }
        config[keyPath: path] = number
        return true
      })
  }

  private static func bool(
    _ name: String, _ path: any WritableKeyPath<PretrainConfig, Bool> & Sendable, _ help: String
  ) -> PretrainConfigKey {
    PretrainConfigKey(
      name: name, kind: .bool, help: help, read: { .bool($0[keyPath: path]) },
      write: { config, value in
        guard let flag = value.boolValue else { return false }
        config[keyPath: path] = flag
        return true
      })
  }

  private static func string(
    _ name: String, _ path: any WritableKeyPath<PretrainConfig, String> & Sendable, _ help: String
  ) -> PretrainConfigKey {
    PretrainConfigKey(
      name: name, kind: .string, help: help, read: { .string($0[keyPath: path]) },
      write: { config, value in
        guard let text = value.stringValue else { return false }
        config[keyPath: path] = text
        return true
      })
  }

  private static func doubles(
    _ name: String, _ path: any WritableKeyPath<PretrainConfig, [Double]> & Sendable, _ help: String
  ) -> PretrainConfigKey {
    PretrainConfigKey(
      name: name, kind: .doubleList, help: help, read: { .array($0[keyPath: path].map { .number($0) }) },
      write: { config, value in
        if let single = value.doubleValue {
          config[keyPath: path] = [single]
          return true
        }
        guard let items = value.arrayValue, items.allSatisfy({ $0.doubleValue != nil }) else { return false }
        config[keyPath: path] = items.compactMap(\.doubleValue)
        return true
      })
  }

  private static func ints(
    _ name: String, _ path: any WritableKeyPath<PretrainConfig, [Int]> & Sendable, _ help: String
  ) -> PretrainConfigKey {
    PretrainConfigKey(
      name: name, kind: .intList, help: help, read: { .array($0[keyPath: path].map { .number(Double($0)) }) },
      write: { config, value in
        if let single = value.intValue {
          config[keyPath: path] = [single]
          return true
        }
        guard let items = value.arrayValue, items.allSatisfy({ $0.intValue != nil }) else { return false }
        config[keyPath: path] = items.compactMap(\.intValue)
        return true
      })
  }

  /// Every setting with its dotted name and documentation, in the order the docs list them.
  public static let keys: [PretrainConfigKey] = [
    string("run.output_dir", \.outputDirectory, "Run directory for checkpoints, logs, metrics and the HF export."),
    int("run.seed", \.seed, "Seed of initialization, data order, masking and dropout."),
    string("run.device", \.device, "cpu, cuda or cuda:N."),
    int("run.threads", \.threads, "libtorch intra-op threads; 0 keeps libtorch's default (one per core)."),
    int("run.max_steps", \.maxSteps, "Optimizer steps to train; also the length of the LR schedule."),
    double("run.max_minutes", \.maxMinutes, "Stop (with a checkpoint) after this many minutes; 0 means no limit."),
    int("run.log_every", \.logEvery, "Steps between log lines and metric records."),
    int("run.save_every", \.saveEvery, "Steps between checkpoints; 0 saves only at the end."),
    int("run.keep_last", \.keepLast, "Checkpoints kept; older ones are deleted."),
    bool("run.resume", \.resume, "Continue from the newest checkpoint in run.output_dir when there is one."),
    string("data.corpus", \.corpus, "Directory written by `shenzhou prepare` (required)."),
    int("data.max_seq_length", \.maxSeqLength, "Tokens per packed sequence, with [CLS] and [SEP]."),
    int("data.batch_size", \.batchSize, "Sequences per micro-batch."),
    bool("data.cross_documents", \.crossDocuments, "Let a packed sequence continue into the next document."),
    int("data.prefetch_batches", \.prefetchBatches, "Batches built ahead on a background thread."),
    string("masking.strategy", \.maskingStrategy, "token, whole_word or span."),
    double("masking.ratio", \.maskingRatio, "Fraction of tokens selected for prediction."),
    doubles(
      "masking.ratio_range", \.maskingRatioRange,
      "[a, b]: draw the ratio per sequence from U(a, b) (probabilistic masking); empty uses masking.ratio."),
    string("masking.replacement_scope", \.replacementScope, "token or word: where the 80/10/10 choice is drawn."),
    double("masking.span_p", \.spanP, "Geometric parameter of span lengths (in words) for the span strategy."),
    int("masking.span_max_length", \.spanMaxLength, "Longest span, in words."),
    double("masking.mask_probability", \.maskProbability, "Share of selected tokens replaced by [MASK]."),
    double(
      "masking.random_token_probability", \.randomTokenProbability,
      "Share of selected tokens replaced by a random token; the rest keep their id."),
    string("model.init_from", \.initFrom, "HF model directory to continue pretraining from; empty starts from random init."),
    int("model.hidden_size", \.hiddenSize, "Hidden size of a new model."),
    int("model.num_hidden_layers", \.numHiddenLayers, "Layers of a new model."),
    int("model.num_attention_heads", \.numAttentionHeads, "Attention heads of a new model."),
    int("model.intermediate_size", \.intermediateSize, "Feed-forward size of a new model."),
    int("model.max_position_embeddings", \.maxPositionEmbeddings, "Position table size of a new model."),
    string("model.hidden_act", \.hiddenAct, "gelu, gelu_new, relu, silu or tanh."),
    double("model.hidden_dropout", \.hiddenDropout, "Dropout after embeddings and sub-layers."),
    double("model.attention_dropout", \.attentionDropout, "Dropout on attention probabilities."),
    string(
      "model.attention_residual.mode", \.attentionResidualMode,
      "none, fixed, per_head, learned or running_mean: the cross-layer attention residual."),
    doubles(
      "model.attention_residual.decay", \.attentionResidualDecay,
      "λ: one value (fixed, learned) or one per head (per_head, learned); 0 is plain attention, 1 is RealFormer."),
    double(
      "objective.rdrop_alpha", \.rdropAlpha,
      "α of instance-wise self-distillation (two dropout passes, symmetric KL); 0 turns it off."),
    double(
      "objective.ema_alpha", \.emaAlpha,
      "α of the momentum-teacher variant: (1−α)·CE + α·KL(teacher‖student); 0 turns it off."),
    double("objective.ema_momentum", \.emaMomentum, "Teacher update t ← m·t + (1−m)·student after each step."),
    ints(
      "objective.layerwise_layers", \.layerwiseLayers,
      "Layers (1-based) whose MLM predictions distil toward the final layer's; empty turns it off."),
    doubles("objective.layerwise_weights", \.layerwiseWeights, "Weight w_l of each chosen layer."),
    double("objective.layerwise_temperature", \.layerwiseTemperature, "Softmax temperature T of layer-wise distillation."),
    int(
      "objective.autoregressive_groups", \.autoregressiveGroups,
      "k of partially autoregressive MLM: masked positions split into k groups predicted in turn; 1 turns it off."),
    string("optim.optimizer", \.optimizer, "adamw or lamb."),
    double("optim.lr", \.learningRate, "Peak learning rate."),
    double("optim.weight_decay", \.weightDecay, "Decoupled weight decay; biases and LayerNorm weights get none."),
    double("optim.beta1", \.beta1, "First-moment decay."),
    double("optim.beta2", \.beta2, "Second-moment decay."),
    double("optim.eps", \.epsilon, "Denominator epsilon."),
    string("optim.schedule", \.schedule, "linear, cosine or constant decay after warmup."),
    int("optim.warmup_steps", \.warmupSteps, "Steps of linear warmup from 0."),
    double("optim.min_lr_ratio", \.minLearningRateRatio, "Floor of cosine decay as a fraction of optim.lr."),
    double("optim.grad_clip", \.gradientClip, "Clip gradients to this global L2 norm; 0 turns clipping off."),
    int("optim.grad_accum", \.gradientAccumulation, "Micro-batches accumulated per optimizer step."),
    string("precision.mode", \.precision, "fp32, bf16 (autocast, CPU and GPU) or fp16 (autocast with loss scaling, GPU only)."),
    double("precision.initial_loss_scale", \.initialLossScale, "Starting fp16 loss scale."),
    int("precision.loss_scale_window", \.lossScaleWindow, "Overflow-free steps before the fp16 loss scale doubles."),
    bool("memory.gradient_checkpointing", \.gradientCheckpointing, "Recompute each layer in backward to save memory."),
  ]

  // MARK: - Reading

  /// Reads a config file (nested JSON objects whose leaves are the documented keys), then applies `overrides`
  /// (`key=value` with JSON or bare-string values). Unknown keys are errors, so a typo never falls back to a default.
  public static func load(path: String?, overrides: [String]) throws -> PretrainConfig {
    var config = PretrainConfig()
    if let path {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw PretrainConfigError(source: path, key: "-", message: "the file is missing or unreadable")
      }
      let root: JSONValue
      do {
        root = try JSONValue.parse(data)
      } catch {
        throw PretrainConfigError(source: path, key: "-", message: "invalid JSON at \(error)")
      }
      guard case .object = root else {
        throw PretrainConfigError(source: path, key: "-", message: "the top level must be a JSON object")
      }
      for (key, value) in flatten(root, prefix: "") {
        try config.set(key: key, value: value, source: path)
      }
    }
    for item in overrides {
      guard let equals = item.firstIndex(of: "=") else {
        throw PretrainConfigError(source: "--set", key: item, message: "expected key=value")
      }
      let key = String(item[..<equals])
      let text = String(item[item.index(after: equals)...])
      let value = (try? JSONValue.parse(text)) ?? .string(text)
      try config.set(key: key, value: value, source: "--set")
    }
    try config.validate()
    return config
  }

  private static func flatten(_ value: JSONValue, prefix: String) -> [(String, JSONValue)] {
    // "decay" lists and other leaves stop the descent; objects nest.
    guard case .object(let fields) = value, prefix.isEmpty || keys.first(where: { $0.name == prefix }) == nil else {
      return [(prefix, value)]
    }
    return fields.keys.sorted().flatMap { key in
      flatten(fields[key]!, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
    }
  }

  public mutating func set(key: String, value: JSONValue, source: String) throws {
    guard let entry = Self.keys.first(where: { $0.name == key }) else {
      let close = Self.keys.map(\.name).filter { $0.hasSuffix("." + (key.split(separator: ".").last ?? "")) }
      let hint = close.isEmpty ? "see `shenzhou pretrain --help` for the keys" : "did you mean \(close.joined(separator: " or "))?"
      throw PretrainConfigError(source: source, key: key, message: "unknown key; \(hint)")
    }
    guard entry.write(&self, value) else {
      let article = entry.kind == .int ? "an" : "a"
      throw PretrainConfigError(
        source: source, key: key, message: "expected \(article) \(entry.kind.rawValue), got \(value)")
    }
  }

  /// The resolved config as nested JSON, printed at start and saved in every checkpoint.
  public var json: JSONValue {
    var root: [String: JSONValue] = [:]
    for key in Self.keys {
      let parts = key.name.split(separator: ".").map(String.init)
      root = Self.insert(key.read(self), at: parts[...], into: root)
    }
    return .object(root)
  }

  private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: [String: JSONValue])
    -> [String: JSONValue]
  {
    var result = object
    guard let head = path.first else { return result }
    if path.count == 1 {
      result[head] = value
    } else {
      let child = result[head]?.objectValue ?? [:]
      result[head] = .object(insert(value, at: path.dropFirst(), into: child))
    }
    return result
  }

  /// Markdown table of every key, its type, default and meaning, for the docs and `--help`.
  public static func documentation() -> String {
    let defaults = PretrainConfig()
    var lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for key in keys {
      lines.append("| `\(key.name)` | \(key.kind.rawValue) | `\(key.read(defaults))` | \(key.help) |")
    }
    return lines.joined(separator: "\n")
  }
}

extension PretrainConfigKey {
  /// The key's value in `config` as the config file would spell it.
  public func defaultText(_ config: PretrainConfig) -> String {
    read(config).serialized(pretty: false)
  }
}
