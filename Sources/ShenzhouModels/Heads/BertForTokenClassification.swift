import ShenzhouNN

/// Result of a token-classification forward pass.
public struct TokenClassifierOutput: Sendable {
  /// [B, T, numLabels]
  public var logits: Tensor
  /// Mean cross entropy over the tokens whose label is not -100, when labels were given.
  public var loss: Tensor?
  public var encoder: BertOutputs
}

/// BERT with a classifier over every token (`BertForTokenClassification`): sequence output, dropout
/// (`classifier_dropout`, else `hidden_dropout_prob`), then `classifier`, a Linear(hidden, numLabels). As in
/// transformers, the encoder has no pooler.
public final class BertForTokenClassification: Module, BertTaskModel, @unchecked Sendable {
  public static let architecture = "BertForTokenClassification"
  public static let headKeyPrefixes = ["classifier."]
  public static let usesPooler = false
  public static let outputsFollowLabels = true

  public let bert: BertModel
  public let dropout: Dropout
  public let classifier: Linear

  public init(config: BertConfig, generator: Generator? = nil) throws {
    try config.validateHeadFields()
    bert = try BertModel(config: config, addPoolingLayer: false, generator: generator)
    dropout = Dropout(probability: config.effectiveClassifierDropout)
    classifier = try Linear(
      inFeatures: config.hiddenSize, outFeatures: config.numLabels, std: config.initializerRange,
      generator: generator)
    super.init()
  }

  public override var children: [(String, Module)] {
    [("bert", bert), ("dropout", dropout), ("classifier", classifier)]
  }

  /// Runs the model on [B, T] inputs. `labels` are int64 [B, T] class indices, -100 where a token has no label
  /// (special tokens, padding, continuation word pieces).
  public func callAsFunction(_ inputs: BertInputs, labels: Tensor? = nil) throws -> TokenClassifierOutput {
    let encoded = try bert(inputs)
    let logits = try classifier(dropout(encoded.lastHiddenState))
    let loss = try labels.map { labels in
      try logits.to(dtype: .float32).reshaped([-1, config.numLabels]).crossEntropy(target: labels.reshaped([-1]))
    }
    return TokenClassifierOutput(logits: logits, loss: loss, encoder: encoded)
  }
}
