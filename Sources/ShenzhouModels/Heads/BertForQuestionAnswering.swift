import ShenzhouNN

/// Result of a span-extraction forward pass.
public struct QuestionAnsweringOutput: Sendable {
  /// [B, T] scores of each token as the first token of the answer.
  public var startLogits: Tensor
  /// [B, T] scores of each token as the last token of the answer.
  public var endLogits: Tensor
  /// The mean of the start and end cross entropies, when positions were given.
  public var loss: Tensor?
  public var encoder: BertOutputs
}

/// BERT with a span-extraction head (`BertForQuestionAnswering`): `qa_outputs`, a Linear(hidden, 2) over every
/// token, split into start and end logits. As in transformers, the encoder has no pooler and there is no dropout
/// before the head.
///
/// NOTE: transformers sizes `qa_outputs` by `num_labels`, which must be 2 for its forward pass to work, so this
/// class always uses 2 outputs and ignores `id2label`.
public final class BertForQuestionAnswering: Module, BertTaskModel, @unchecked Sendable {
  public static let architecture = "BertForQuestionAnswering"
  public static let headKeyPrefixes = ["qa_outputs."]
  public static let usesPooler = false
  public static let outputsFollowLabels = false

  public let bert: BertModel
  public let qaOutputs: Linear

  public init(config: BertConfig, generator: Generator? = nil) throws {
    try config.validateHeadFields()
    bert = try BertModel(config: config, addPoolingLayer: false, generator: generator)
    qaOutputs = try Linear(
      inFeatures: config.hiddenSize, outFeatures: 2, std: config.initializerRange, generator: generator)
    super.init()
  }

  public override var children: [(String, Module)] { [("bert", bert), ("qa_outputs", qaOutputs)] }

  /// Runs the model on [B, T] inputs. `startPositions` and `endPositions` are int64 [B] token indices of the
  /// answer; as in transformers, positions outside 0..<T are clamped to T and left out of the loss.
  public func callAsFunction(_ inputs: BertInputs, startPositions: Tensor? = nil, endPositions: Tensor? = nil)
    throws -> QuestionAnsweringOutput
  {
    let encoded = try bert(inputs)
    let logits = try qaOutputs(encoded.lastHiddenState)  // [B, T, 2]
    let startLogits = try logits.select(dim: 2, index: 0).contiguous()
    let endLogits = try logits.select(dim: 2, index: 1).contiguous()
    var loss: Tensor?
    if let startPositions, let endPositions {
      let length = startLogits.shape[1]
      func positionLoss(_ scores: Tensor, _ positions: Tensor) throws -> Tensor {
        // The shim's clamp takes float bounds and returns a float tensor, and cross entropy needs int64 targets.
        let clamped = try positions.reshaped([-1]).clamp(min: 0, max: Double(length)).to(dtype: .int64)
        return try scores.to(dtype: .float32).crossEntropy(target: clamped, ignoreIndex: length)
      }
      loss = try (positionLoss(startLogits, startPositions) + positionLoss(endLogits, endPositions)) / 2
    }
    return QuestionAnsweringOutput(startLogits: startLogits, endLogits: endLogits, loss: loss, encoder: encoded)
  }
}
