import ShenzhouNN

/// Word, position and token-type embeddings, summed, then LayerNorm and dropout.
public final class BertEmbeddings: Module, @unchecked Sendable {
  public let wordEmbeddings: Embedding
  public let positionEmbeddings: Embedding
  public let tokenTypeEmbeddings: Embedding
  public let layerNorm: LayerNorm
  let dropout: Dropout

  public init(config: BertConfig, generator: Generator?) throws {
    let std = config.initializerRange
    wordEmbeddings = try Embedding(
      count: config.vocabSize, dimension: config.hiddenSize, std: std, paddingIndex: config.padTokenId,
      generator: generator)
    positionEmbeddings = try Embedding(
      count: config.maxPositionEmbeddings, dimension: config.hiddenSize, std: std, generator: generator)
    tokenTypeEmbeddings = try Embedding(
      count: config.typeVocabSize, dimension: config.hiddenSize, std: std, generator: generator)
    layerNorm = try LayerNorm(dimension: config.hiddenSize, eps: config.layerNormEps)
    dropout = Dropout(probability: config.hiddenDropoutProb)
    super.init()
  }

  public override var children: [(String, Module)] {
    [
      ("word_embeddings", wordEmbeddings), ("position_embeddings", positionEmbeddings),
      ("token_type_embeddings", tokenTypeEmbeddings), ("LayerNorm", layerNorm), ("dropout", dropout),
    ]
  }

  /// inputIds, tokenTypeIds: [B, T] int64 → [B, T, C].
  public func callAsFunction(inputIds: Tensor, tokenTypeIds: Tensor) throws -> Tensor {
    let length = inputIds.shape.last ?? 0
    let limit = positionEmbeddings.weight.value.shape[0]
    guard length <= limit else {
      throw TensorError(
        op: "BertEmbeddings", shapes: [inputIds.shape],
        message: "sequence length \(length) exceeds max_position_embeddings \(limit); truncate the input")
    }
    let positions = try Tensor.arange(0, Double(length), device: inputIds.device).unsqueezed(0)
    var x = try wordEmbeddings(inputIds)
    x = try x + positionEmbeddings(positions)
    x = try x + tokenTypeEmbeddings(tokenTypeIds)
    return try dropout(layerNorm(x))
  }
}
