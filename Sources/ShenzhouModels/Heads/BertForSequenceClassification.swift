import ShenzhouNN

/// Result of a sequence-classification forward pass.
public struct SequenceClassifierOutput: Sendable {
  /// [B, numLabels]
  public var logits: Tensor
  /// The mean loss over the batch, when labels were given.
  public var loss: Tensor?
  public var encoder: BertOutputs
}

/// BERT with a classifier over the pooled `[CLS]` vector (`BertForSequenceClassification`): pooler, dropout
/// (`classifier_dropout`, else `hidden_dropout_prob`), then `classifier`, a Linear(hidden, numLabels).
public final class BertForSequenceClassification: Module, BertTaskModel, @unchecked Sendable {
  public static let architecture = "BertForSequenceClassification"
  public static let headKeyPrefixes = ["classifier."]
  public static let usesPooler = true
  public static let outputsFollowLabels = true

  public let bert: BertModel
  public let dropout: Dropout
  public let classifier: Linear

  public init(config: BertConfig, generator: Generator? = nil) throws {
    try config.validateHeadFields()
    bert = try BertModel(config: config, addPoolingLayer: true, generator: generator)
    dropout = Dropout(probability: config.effectiveClassifierDropout)
    classifier = try Linear(
      inFeatures: config.hiddenSize, outFeatures: config.numLabels, std: config.initializerRange,
      generator: generator)
    super.init()
  }

  public override var children: [(String, Module)] {
    [("bert", bert), ("dropout", dropout), ("classifier", classifier)]
  }

  /// Runs the model on [B, T] inputs.
  ///
  /// The loss follows `problem_type` of the config, or else the labels as transformers 5.25 decides: mean
  /// squared error with one label, cross entropy against int64 class indices [B], and binary cross entropy with
  /// logits against float 0/1 vectors [B, numLabels].
  public func callAsFunction(_ inputs: BertInputs, labels: Tensor? = nil) throws -> SequenceClassifierOutput {
    let encoded = try bert(inputs)
    guard let pooled = encoded.pooledOutput else {
      throw TensorError(op: Self.architecture, shapes: [], message: "the encoder has no pooler")
    }
    let logits = try classifier(dropout(pooled))
    let loss = try labels.map { try Self.loss(logits: logits, labels: $0, problem: problem(for: $0)) }
    return SequenceClassifierOutput(logits: logits, loss: loss, encoder: encoded)
  }

  /// The loss kind for `labels`: the configured `problem_type`, else the one transformers infers.
  public func problem(for labels: Tensor) -> SequenceClassificationProblem {
    if let configured = config.problemType { return configured }
    if config.numLabels == 1 { return .regression }
    return labels.dtype.isFloatingPoint ? .multiLabel : .singleLabel
  }

  static func loss(logits: Tensor, labels: Tensor, problem: SequenceClassificationProblem) throws -> Tensor {
    let scores = try logits.to(dtype: .float32)
    switch problem {
    case .regression:
      // transformers squeezes both sides when there is one label, so [B, 1] logits meet [B] labels.
      let predicted = scores.shape.last == 1 ? try scores.reshaped([-1]) : scores
      let targets = try labels.to(dtype: .float32).reshaped(predicted.shape)
      return try (predicted - targets).square().mean()
    case .singleLabel:
      return try scores.reshaped([-1, scores.shape.last ?? 1]).crossEntropy(target: labels.reshaped([-1]))
    case .multiLabel:
      return try binaryCrossEntropyWithLogits(scores, targets: labels.to(dtype: .float32))
    }
  }

  /// Mean of max(x, 0) − x·y + log(1 + e^(−|x|)), the overflow-free form of −y·log σ(x) − (1 − y)·log(1 − σ(x)).
  static func binaryCrossEntropyWithLogits(_ logits: Tensor, targets: Tensor) throws -> Tensor {
    let softplus = try ((-logits.abs()).exp() + 1).log()
    return try (logits.relu() - logits * targets + softplus).mean()
  }
}
