import ShenzhouNN

/// Multi-head self-attention with Q, K, V projections (`attention.self` in Hugging Face keys).
///
/// Two paths compute the same function:
/// - fused: libtorch's scaled dot-product attention kernel, used when no attention residual is carried;
/// - explicit scores: S = Q Kᵀ/√HS is materialized so that the cross-layer residual P_l = S_l + λ·P_(l−1) can be
///   added before the mask and the softmax. The mask is added after accumulation and is not carried forward.
public final class BertSelfAttention: Module, @unchecked Sendable {
  public let query: Linear
  public let key: Linear
  public let value: Linear
  let headCount: Int
  let headSize: Int
  let dropoutProbability: Double

  public init(config: BertConfig, generator: Generator?) throws {
    let size = config.hiddenSize
    let std = config.initializerRange
    query = try Linear(inFeatures: size, outFeatures: size, std: std, generator: generator)
    key = try Linear(inFeatures: size, outFeatures: size, std: std, generator: generator)
    value = try Linear(inFeatures: size, outFeatures: size, std: std, generator: generator)
    headCount = config.numAttentionHeads
    headSize = config.headDimension
    dropoutProbability = config.attentionProbsDropoutProb
    super.init()
  }

  public override var children: [(String, Module)] { [("query", query), ("key", key), ("value", value)] }

  /// [B, T, C] → [B, NH, T, HS]
  func splitHeads(_ x: Tensor, batch: Int, length: Int) throws -> Tensor {
    try x.reshaped([batch, length, headCount, headSize]).transposed(1, 2)
  }

  /// Attention through the fused kernel. `mask` is boolean [B, 1, 1, T] (true = attend).
  public func callAsFunction(_ hidden: Tensor, mask: Tensor?) throws -> Tensor {
    let (batch, length) = (hidden.shape[0], hidden.shape[1])
    let q = try splitHeads(query(hidden), batch: batch, length: length)
    let k = try splitHeads(key(hidden), batch: batch, length: length)
    let v = try splitHeads(value(hidden), batch: batch, length: length)
    let dropout = isTraining ? dropoutProbability : 0
    let context = try Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask, dropout: dropout)
    return try context.transposed(1, 2).reshaped([batch, length, headCount * headSize])  // [B, T, C]
  }

  /// Attention with explicit scores and the cross-layer residual.
  ///
  /// - Parameters:
  ///   - additiveMask: float [B, 1, 1, T], 0 where attended and a large negative value at padding.
  ///   - previousScores: P_(l−1) of shape [B, NH, T, T], or nil in the first layer.
  ///   - residual: how S_l and P_(l−1) combine; nil gives plain attention through explicit scores.
  ///   - layer: this layer's number, counting from 1.
  /// - Returns: the context [B, T, C] and P_l, the unmasked accumulated scores to pass to the next layer.
  public func withResidualScores(
    _ hidden: Tensor, additiveMask: Tensor?, previousScores: Tensor?, residual: AttentionResidual?, layer: Int
  ) throws -> (context: Tensor, scores: Tensor) {
    let (batch, length) = (hidden.shape[0], hidden.shape[1])
    let q = try splitHeads(query(hidden), batch: batch, length: length)
    let k = try splitHeads(key(hidden), batch: batch, length: length)
    let v = try splitHeads(value(hidden), batch: batch, length: length)
    var scores = try q.matmul(k.transposed(-1, -2)) * (1.0 / Double(headSize).squareRoot())  // [B, NH, T, T]
    if let residual {
      scores = try residual.combine(scores: scores, previous: previousScores, layer: layer)
    }
    let masked = try additiveMask.map { try scores + $0 } ?? scores
    var probabilities = try masked.softmax(dim: -1)
    if isTraining, dropoutProbability > 0 {
      probabilities = try probabilities.dropout(p: dropoutProbability, training: true)
    }
    let context = try probabilities.to(dtype: v.dtype).matmul(v)  // [B, NH, T, HS]
    return (try context.transposed(1, 2).reshaped([batch, length, headCount * headSize]), scores)
  }
}

/// Projection after attention, dropout, residual connection and LayerNorm (`attention.output`).
public final class BertSelfOutput: Module, @unchecked Sendable {
  public let dense: Linear
  public let layerNorm: LayerNorm
  let dropout: Dropout

  public init(config: BertConfig, generator: Generator?) throws {
    dense = try Linear(
      inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, std: config.initializerRange,
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

/// Self-attention followed by its output block.
public final class BertAttention: Module, @unchecked Sendable {
  public let selfAttention: BertSelfAttention
  public let output: BertSelfOutput

  public init(config: BertConfig, generator: Generator?) throws {
    selfAttention = try BertSelfAttention(config: config, generator: generator)
    output = try BertSelfOutput(config: config, generator: generator)
    super.init()
  }

  public override var children: [(String, Module)] { [("self", selfAttention), ("output", output)] }
}
