import ShenzhouNN

/// Inputs of a BERT forward pass; all are [B, T] int64 tensors.
public struct BertInputs: Sendable {
  public var inputIds: Tensor
  /// Segment ids; zeros when nil.
  public var tokenTypeIds: Tensor?
  /// 1 for tokens to attend to, 0 for padding; all ones when nil.
  public var attentionMask: Tensor?

  public init(inputIds: Tensor, tokenTypeIds: Tensor? = nil, attentionMask: Tensor? = nil) {
    self.inputIds = inputIds
    self.tokenTypeIds = tokenTypeIds
    self.attentionMask = attentionMask
  }
}

/// Outputs of the encoder.
public struct BertOutputs: Sendable {
  /// [B, T, C]
  public var lastHiddenState: Tensor
  /// tanh(dense([CLS])) as [B, C]; nil when the model has no pooler.
  public var pooledOutput: Tensor?
  /// Output of every layer, [B, T, C] each, when requested (layer-wise distillation reads them).
  public var layerOutputs: [Tensor]
}

/// The BERT encoder: embeddings, post-LN layers and an optional pooler, with Hugging Face parameter names.
public final class BertModel: Module, @unchecked Sendable {
  public let config: BertConfig
  public let embeddings: BertEmbeddings
  public let encoder: BertEncoder
  public let pooler: BertPooler?
  /// Learned or fixed λ of the cross-layer attention residual; nil uses the fused attention path.
  public var attentionResidualDecay: Tensor?

  public init(config: BertConfig, addPoolingLayer: Bool = true, generator: Generator? = nil) throws {
    try config.validate()
    self.config = config
    embeddings = try BertEmbeddings(config: config, generator: generator)
    encoder = try BertEncoder(config: config, generator: generator)
    pooler = addPoolingLayer ? try BertPooler(config: config, generator: generator) : nil
    attentionResidualDecay = try config.attentionResidualDecay.map { try Tensor(scalar: Float($0)) }
    super.init()
  }

  public override var children: [(String, Module)] {
    [("embeddings", embeddings), ("encoder", encoder)] + (pooler.map { [("pooler", $0 as Module)] } ?? [])
  }

  public func callAsFunction(_ inputs: BertInputs, keepLayerOutputs: Bool = false) throws -> BertOutputs {
    let ids = inputs.inputIds
    guard ids.rank == 2 else {
      throw TensorError(op: "BertModel", shapes: [ids.shape], message: "input_ids must have shape [batch, length]")
    }
    let tokenTypes = try inputs.tokenTypeIds ?? Tensor.zeros(ids.shape, dtype: .int64, device: ids.device)
    var hidden = try embeddings(inputIds: ids, tokenTypeIds: tokenTypes)
    var layerOutputs: [Tensor] = []

    if let decay = attentionResidualDecay {
      // Explicit-scores path: P_l = S_l + λ·P_(l−1); the additive mask is applied after accumulation.
      let additive = try inputs.attentionMask.map { mask in
        try (mask.to(dtype: .float32).unsqueezed(1).unsqueezed(2) * -1 + 1) * -Double(Float.greatestFiniteMagnitude)
      }
      var scores: Tensor?
      for layer in encoder.layers {
        let result = try layer.withResidualScores(
          hidden, additiveMask: additive, previousScores: scores, decay: decay)
        hidden = result.hidden
        scores = result.scores
        if keepLayerOutputs { layerOutputs.append(hidden) }
      }
    } else {
      let mask = try inputs.attentionMask.map { try $0.ne(0).unsqueezed(1).unsqueezed(2) }  // [B, 1, 1, T]
      for layer in encoder.layers {
        hidden = try layer(hidden, mask: mask)
        if keepLayerOutputs { layerOutputs.append(hidden) }
      }
    }
    let pooled = try pooler.map { try $0(hidden) }
    return BertOutputs(lastHiddenState: hidden, pooledOutput: pooled, layerOutputs: layerOutputs)
  }
}
