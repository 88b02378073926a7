import ShenzhouNN

/// Result of a multiple-choice forward pass.
public struct MultipleChoiceOutput: Sendable {
  /// [B, C], one score per choice.
  public var logits: Tensor
  /// Mean cross entropy over the batch, when labels were given.
  public var loss: Tensor?
  /// The encoder's outputs over the flattened [B·C, T] inputs.
  public var encoder: BertOutputs
}

/// BERT that scores each choice of a question (`BertForMultipleChoice`): inputs [B, C, T] are flattened to
/// [B·C, T], then pooler, dropout (`classifier_dropout`, else `hidden_dropout_prob`) and `classifier`, a
/// Linear(hidden, 1), give one logit per choice, reshaped to [B, C].
public final class BertForMultipleChoice: Module, BertTaskModel, @unchecked Sendable {
  public static let architecture = "BertForMultipleChoice"
  public static let headKeyPrefixes = ["classifier."]
  public static let usesPooler = true
  public static let outputsFollowLabels = false

  public let bert: BertModel
  public let dropout: Dropout
  public let classifier: Linear

  public init(config: BertConfig, generator: Generator? = nil) throws {
    try config.validateHeadFields()
    bert = try BertModel(config: config, addPoolingLayer: true, generator: generator)
    dropout = Dropout(probability: config.effectiveClassifierDropout)
    classifier = try Linear(
      inFeatures: config.hiddenSize, outFeatures: 1, std: config.initializerRange, generator: generator)
    super.init()
  }

  public override var children: [(String, Module)] {
    [("bert", bert), ("dropout", dropout), ("classifier", classifier)]
  }

  /// Runs the model on [B, C, T] inputs; `labels` are int64 [B] choice indices.
  ///
  /// `choiceMask` (bool [B, C], true for real choices) lets examples with fewer choices share a batch with
  /// padded rows: masked choices get the lowest float32 logit, so they take no probability and no gradient.
  /// transformers has no such argument; without a mask the two compute the same.
  public func callAsFunction(_ inputs: BertInputs, labels: Tensor? = nil, choiceMask: Tensor? = nil) throws
    -> MultipleChoiceOutput
  {
    let ids = inputs.inputIds
    guard ids.rank == 3 else {
      throw TensorError(
        op: Self.architecture, shapes: [ids.shape], message: "input_ids must have shape [batch, choices, length]")
    }
    let (batch, choices, length) = (ids.shape[0], ids.shape[1], ids.shape[2])
    func flatten(_ tensor: Tensor?) throws -> Tensor? { try tensor?.reshaped([batch * choices, length]) }
    let flat = BertInputs(
      inputIds: try ids.reshaped([batch * choices, length]), tokenTypeIds: try flatten(inputs.tokenTypeIds),
      attentionMask: try flatten(inputs.attentionMask))
    let encoded = try bert(flat)
    guard let pooled = encoded.pooledOutput else {
      throw TensorError(op: Self.architecture, shapes: [], message: "the encoder has no pooler")
    }
    var logits = try classifier(dropout(pooled)).reshaped([batch, choices])
    if let choiceMask {
      logits = try logits.maskedFill(choiceMask.logicalNot(), value: -Double(Float.greatestFiniteMagnitude))
    }
    let loss = try labels.map { try logits.to(dtype: .float32).crossEntropy(target: $0.reshaped([-1])) }
    return MultipleChoiceOutput(logits: logits, loss: loss, encoder: encoded)
  }
}
