import Foundation
import ShenzhouNN

/// A BERT encoder under `bert.` with a task head, laid out and named as the transformers class
/// `architecture`, so that checkpoints load and save in both directions.
public protocol BertTaskModel: Module {
  /// The transformers class name written to `architectures` in config.json.
  static var architecture: String { get }
  /// Key prefixes of the head's own parameters, such as `classifier.`.
  static var headKeyPrefixes: [String] { get }
  /// Whether the encoder keeps `bert.pooler`, as the transformers class does.
  static var usesPooler: Bool { get }
  /// Whether the head has one output per label, so that config.json must list every label.
  static var outputsFollowLabels: Bool { get }

  var bert: BertModel { get }

  /// Creates a model with random weights: encoder layers as `BertModel` initializes them, and head weights from
  /// N(0, initializer_range²) with zero biases, drawn from `generator` or libtorch's default CPU generator.
  init(config: BertConfig, generator: Generator?) throws
}

extension BertTaskModel {
  public var config: BertConfig { bert.config }
}

// MARK: - Loading

extension BertTaskModel {
  /// Loads a Hugging Face model directory into this head.
  ///
  /// A fine-tuned checkpoint of the same class restores the head. A pretraining checkpoint (`BertForMaskedLM`,
  /// `BertForPreTraining`, a bare `BertModel` or a shenzhou export) has no head weights, so the head keeps its
  /// random initialization and the report's `initializedKeys` lists the head keys. A pooler that the checkpoint
  /// lacks is initialized and reported in the same way. Pretraining heads (`cls.`), the heads of other task
  /// classes, and a pooler that this class does not use are reported in `unusedKeys`.
  ///
  /// - Parameters:
  ///   - labels: class names that replace `id2label` of the checkpoint, which sets the classifier's output size.
  ///   - reinitializeMismatchedHead: initialize head tensors whose shape differs from the checkpoint's (a
  ///     fine-tuned model reused for another label set), as transformers' `ignore_mismatched_sizes` does. When
  ///     false, such a checkpoint fails with `CheckpointMismatchError`.
  ///   - generator: the random source of a new head; nil draws from libtorch's default CPU generator.
  public static func load(
    directory: ModelDirectory, labels: [String]? = nil, reinitializeMismatchedHead: Bool = false,
    generator: Generator? = nil
  ) throws -> (model: Self, report: LoadReport) {
    var config = try directory.config()
    if let labels {
      guard !labels.isEmpty else {
        throw ConfigError(source: directory.path, field: "id2label", message: "must name at least one label")
      }
      config.setLabels(labels)
    }
    let model = try Self(config: config, generator: generator)
    var entries = try directory.readWeights()
    if reinitializeMismatchedHead {
      // Dropped head tensors count as missing, and the head prefixes allow that, so the report lists them.
      let shapes = Dictionary(
        model.allParameterPaths().map { ($0.0, $0.1.value.shape) }, uniquingKeysWith: { first, _ in first })
      entries.removeAll { key, tensor in
        guard headKeyPrefixes.contains(where: { key.hasPrefix($0) }), let shape = shapes[key] else { return false }
        return shape != tensor.shape
      }
    }
    let report = try model.loadStateDict(
      entries, source: directory.path, basePrefix: "bert", ignorableUnused: unusedPrefixes,
      allowedMissing: headKeyPrefixes + (usesPooler ? ["bert.pooler."] : []))
    model.eval()
    return (model, report)
  }

  /// Checkpoint keys that may be present without a place in this model.
  static var unusedPrefixes: [String] {
    let taskHeads = ["classifier.", "qa_outputs."].filter { !headKeyPrefixes.contains($0) }
    let pooler = usesPooler ? [] : ["bert.pooler.", "pooler."]
    return ["cls."] + taskHeads + pooler
  }
}

// MARK: - Saving

extension BertTaskModel {
  /// Writes config.json (with `architectures` and, for classifiers, `id2label` and `label2id`) and
  /// model.safetensors, which transformers' `from_pretrained` of `architecture` loads. Each file is written
  /// through a temporary name and a rename.
  public func save(to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var config = self.config
    if Self.outputsFollowLabels { config.setLabels(config.labelNames) }
    let json = config.json(architecture: Self.architecture)
    try AtomicFile.write(json.serialized() + "\n", to: (directory as NSString).appendingPathComponent("config.json"))
    try SafeTensorsIO.write(
      namedParameters().map { ($0.0, $0.1.value) }, metadata: ["format": "pt"],
      to: (directory as NSString).appendingPathComponent("model.safetensors"))
  }
}
