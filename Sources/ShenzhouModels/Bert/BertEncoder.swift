import ShenzhouNN

/// The feed-forward expansion with the configured activation (`intermediate`).
public final class BertIntermediate: Module, @unchecked Sendable {
  public let dense: Linear
  let activation: Activation

  public init(config: BertConfig, generator: Generator?) throws {
    dense = try Linear(
      inFeatures: config.hiddenSize, outFeatures: config.intermediateSize, std: config.initializerRange,
      generator: generator)
    activation = config.hiddenAct
    super.init()
  }

  public override var children: [(String, Module)] { [("dense", dense)] }

  public func callAsFunction(_ x: Tensor) throws -> Tensor { try activation(dense(x)) }
}

/// The feed-forward projection back, dropout, residual and LayerNorm (`output`).
public final class BertOutput: Module, @unchecked Sendable {
  public let dense: Linear
  public let layerNorm: LayerNorm
  let dropout: Dropout

  public init(config: BertConfig, generator: Generator?) throws {
    dense = try Linear(
      inFeatures: config.intermediateSize, outFeatures: config.hiddenSize, std: config.initializerRange,
      generator: generator)
    layerNorm = try LayerNorm(dimension: config.hiddenSize, eps: config.layerNormEps)
    dropout = Dropout(probability: config.hiddenDropoutProb)
    super.init()
  }

  public override var children: [(String, Module)] {
    [("dense", dense), ("LayerNorm", layerNorm), ("dropout", dropout)]
  }

  public func callAsFunction(_ x: Tensor, residual: Tensor) throws -> Tensor {
    try layerNorm(dropout(dense(x)) + residual)
  }
}

/// One post-LN transformer layer: attention block, then feed-forward block.
public final class BertLayer: Module, @unchecked Sendable {
  public let attention: BertAttention
  public let intermediate: BertIntermediate
  public let output: BertOutput

  public init(config: BertConfig, generator: Generator?) throws {
    attention = try BertAttention(config: config, generator: generator)
    intermediate = try BertIntermediate(config: config, generator: generator)
    output = try BertOutput(config: config, generator: generator)
    super.init()
  }

  public override var children: [(String, Module)] {
    [("attention", attention), ("intermediate", intermediate), ("output", output)]
  }

  func feedForward(_ x: Tensor) throws -> Tensor {
    try output(intermediate(x), residual: x)
  }

  /// Fused-attention path.
  public func callAsFunction(_ hidden: Tensor, mask: Tensor?) throws -> Tensor {
    let attended = try attention.output(attention.selfAttention(hidden, mask: mask), residual: hidden)
    return try feedForward(attended)
  }

  /// Explicit-scores path carrying the attention residual.
  public func withResidualScores(
    _ hidden: Tensor, additiveMask: Tensor?, previousScores: Tensor?, residual: AttentionResidual?, layer: Int
  ) throws -> (hidden: Tensor, scores: Tensor) {
    let (context, scores) = try attention.selfAttention.withResidualScores(
      hidden, additiveMask: additiveMask, previousScores: previousScores, residual: residual, layer: layer)
    let attended = try attention.output(context, residual: hidden)
    return (try feedForward(attended), scores)
  }
}

/// The stack of layers (`encoder.layer.N`) and the cross-layer attention residual, when configured.
public final class BertEncoder: Module, @unchecked Sendable {
  public let layers: [BertLayer]
  public let attentionResidual: AttentionResidual?

  public init(config: BertConfig, generator: Generator?) throws {
    layers = try (0..<config.numHiddenLayers).map { _ in try BertLayer(config: config, generator: generator) }
    attentionResidual = try config.attentionResidual.map {
      try AttentionResidual(config: $0, heads: config.numAttentionHeads)
    }
    super.init()
  }

  public override var localParameters: [(String, Parameter)] { attentionResidual?.localParameters ?? [] }

  public override var children: [(String, Module)] {
    layers.enumerated().map { ("layer.\($0.offset)", $0.element) }
  }
}

/// Dense + tanh over the [CLS] vector (`pooler`).
public final class BertPooler: Module, @unchecked Sendable {
  public let dense: Linear

  public init(config: BertConfig, generator: Generator?) throws {
    dense = try Linear(
      inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, std: config.initializerRange,
      generator: generator)
    super.init()
  }

  public override var children: [(String, Module)] { [("dense", dense)] }

  /// [B, T, C] → [B, C]
  public func callAsFunction(_ hidden: Tensor) throws -> Tensor {
    try dense(hidden.select(dim: 1, index: 0)).tanh()
  }
}
