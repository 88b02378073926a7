import ShenzhouNN

/// Dense, activation and LayerNorm before the vocabulary projection (`cls.predictions.transform`).
public final class BertPredictionHeadTransform: Module, @unchecked Sendable {
  public let dense: Linear
  public let layerNorm: LayerNorm
  let activation: Activation

  public init(config: BertConfig, generator: Generator?) throws {
    dense = try Linear(
      inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, std: config.initializerRange,
      generator: generator)
    layerNorm = try LayerNorm(dimension: config.hiddenSize, eps: config.layerNormEps)
    activation = config.hiddenAct
    super.init()
  }

  public override var children: [(String, Module)] { [("dense", dense), ("LayerNorm", layerNorm)] }

  public func callAsFunction(_ x: Tensor) throws -> Tensor { try layerNorm(activation(dense(x))) }
}

/// The MLM head: transform, then a decoder whose weight is the word-embedding matrix (`cls.predictions`).
public final class BertLMPredictionHead: Module, @unchecked Sendable {
  public let transform: BertPredictionHeadTransform
  /// Tied to `bert.embeddings.word_embeddings.weight`.
  public let decoderWeight: Parameter
  public let bias: Parameter

  public init(config: BertConfig, wordEmbeddings: Parameter, generator: Generator?) throws {
    transform = try BertPredictionHeadTransform(config: config, generator: generator)
    decoderWeight = wordEmbeddings
    bias = try Parameter(Tensor.zeros([config.vocabSize]))
    super.init()
  }

  public override var localParameters: [(String, Parameter)] { [("bias", bias), ("decoder.weight", decoderWeight)] }
  public override var children: [(String, Module)] { [("transform", transform)] }

  /// [..., C] → [..., V]
  public func callAsFunction(_ hidden: Tensor) throws -> Tensor {
    try transform(hidden).linear(weight: decoderWeight.value, bias: bias.value)
  }
}

/// Holds the prediction head under the `cls` prefix, as Hugging Face names it.
public final class BertOnlyMLMHead: Module, @unchecked Sendable {
  public let predictions: BertLMPredictionHead

  init(predictions: BertLMPredictionHead) {
    self.predictions = predictions
    super.init()
  }

  public override var children: [(String, Module)] { [("predictions", predictions)] }
}

/// Result of a masked-LM forward pass.
public struct MaskedLMOutput: Sendable {
  /// [B, T, V] for a dense pass, or [N, V] over the N labelled positions for a sparse pass.
  public var logits: Tensor
  /// Mean cross entropy over labelled positions, when labels were given.
  public var loss: Tensor?
  public var encoder: BertOutputs
}

/// BERT with the masked-language-model head (`BertForMaskedLM`).
public final class BertForMaskedLM: Module, @unchecked Sendable {
  public let bert: BertModel
  public let cls: BertOnlyMLMHead

  public var config: BertConfig { bert.config }

  /// A randomly initialized model. `addPoolingLayer` keeps `bert.pooler`, which BERT pretraining checkpoints carry.
  public init(config: BertConfig, addPoolingLayer: Bool = false, generator: Generator? = nil) throws {
    bert = try BertModel(config: config, addPoolingLayer: addPoolingLayer, generator: generator)
    let head = try BertLMPredictionHead(
      config: config, wordEmbeddings: bert.embeddings.wordEmbeddings.weight, generator: generator)
    cls = BertOnlyMLMHead(predictions: head)
    super.init()
  }

  public override var children: [(String, Module)] { [("bert", bert), ("cls", cls)] }

  /// Dense pass: logits at every position. With `labels` ([B, T], -100 where not predicted) it also returns the
  /// mean cross entropy over labelled positions.
  public func callAsFunction(_ inputs: BertInputs, labels: Tensor? = nil) throws -> MaskedLMOutput {
    let encoded = try bert(inputs)
    let logits = try cls.predictions(encoded.lastHiddenState)
    let vocab = config.vocabSize
    let loss = try labels.map { try logits.reshaped([-1, vocab]).crossEntropy(target: $0.reshaped([-1])) }
    return MaskedLMOutput(logits: logits, loss: loss, encoder: encoded)
  }

  /// Sparse pass: projects only the labelled positions to the vocabulary, which saves the largest matmul of
  /// pretraining. Returns logits [N, V] for the N positions where labels != -100, in row-major order.
  public func sparse(_ inputs: BertInputs, labels: Tensor, keepLayerOutputs: Bool = false) throws
    -> MaskedLMOutput
  {
    let encoded = try bert(inputs, keepLayerOutputs: keepLayerOutputs)
    let flatLabels = try labels.reshaped([-1])
    let selected = try flatLabels.ne(-100)
    let hidden = try encoded.lastHiddenState.reshaped([-1, config.hiddenSize])[selected]  // [N, C]
    let targets = try flatLabels[selected]  // [N]
    let logits = try cls.predictions(hidden)
    let loss = try logits.crossEntropy(target: targets)
    return MaskedLMOutput(logits: logits, loss: loss, encoder: encoded)
  }
}
