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
  /// Forces the explicit-scores attention path even without an attention residual (used to compare the paths).
  public var usesExplicitScores = false

  public init(config: BertConfig, addPoolingLayer: Bool = true, generator: Generator? = nil) throws {
    try config.validate()
    self.config = config
    embeddings = try BertEmbeddings(config: config, generator: generator)
    encoder = try BertEncoder(config: config, generator: generator)
    pooler = addPoolingLayer ? try BertPooler(config: config, generator: generator) : nil
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

    if encoder.attentionResidual != nil || usesExplicitScores {
      // Explicit-scores path: P_l combines S_l with P_(l−1); the additive mask is applied after accumulation.
      let additive = try inputs.attentionMask.map { try Self.additiveMask($0) }
      var scores: Tensor?
      for (index, layer) in encoder.layers.enumerated() {
        let result = try layer.withResidualScores(
          hidden, additiveMask: additive, previousScores: scores, residual: encoder.attentionResidual,
          layer: index + 1)
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

  /// [B, T] mask of 1/0 → float [B, 1, 1, T] with 0 where attended and the most negative float32 at padding, as
  /// Hugging Face builds it.
  public static func additiveMask(_ mask: Tensor) throws -> Tensor {
    let keep = try mask.to(dtype: .float32).unsqueezed(1).unsqueezed(2)
    return try (keep * -1 + 1) * -Double(Float.greatestFiniteMagnitude)
  }
}
