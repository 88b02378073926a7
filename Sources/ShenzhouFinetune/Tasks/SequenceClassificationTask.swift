import ShenzhouModels
import ShenzhouText

/// A text or text pair with a class index, such as a TNEWS headline or an OCNLI premise and hypothesis.
public struct ClassificationExample: Sendable, Hashable {
  public var text: String
  /// The second text of a pair task; nil for single texts.
  public var pair: String?
  /// Class index in 0..<numLabels; nil for examples that are only predicted.
  public var label: Int?

  public init(text: String, pair: String? = nil, label: Int?) {
    self.text = text
    self.pair = pair
    self.label = label
  }
}

/// The predicted class of one example with the logits it came from.
public struct ClassificationPrediction: Sendable, Hashable {
  public var label: Int
  public var logits: [Float]

  public init(label: Int, logits: [Float]) {
    self.label = label
    self.logits = logits
  }
}

/// Single-label classification of texts or text pairs with `BertForSequenceClassification`.
///
/// Inputs are `[CLS] text [SEP]` or `[CLS] text [SEP] pair [SEP]`, truncated longest-first to the maximum length
/// as transformers' tokenizers do with `truncation=True`. Cross entropy is the loss, and accuracy over labelled
/// examples is the metric.
///
/// NOTE: regression (`num_labels` 1) and multi-label targets are supported by the head but not by this task.
public struct SequenceClassificationTask: FinetuneTask {
  public typealias Model = BertForSequenceClassification

  /// Number of classes; labels must lie in 0..<labelCount.
  public let labelCount: Int

  public init(labelCount: Int) {
    self.labelCount = labelCount
  }

  public func validate(_ model: BertForSequenceClassification) throws {
    try requireLabelCount(model, labelCount)
  }

  public func features(
    of example: ClassificationExample, exampleIndex: Int, tokenizer: BertTokenizer, maxLength: Int
  ) throws -> [TaskFeature] {
    var target = FeatureTarget.none
    if let label = example.label {
      guard (0..<labelCount).contains(label) else {
        throw ExampleError("label \(label) is outside 0..<\(labelCount); map labels to indices of the label list")
      }
      target = .classIndex(label)
    }
    let encoding = try tokenizer.encode(
      example.text, pair: example.pair, maxLength: maxLength, truncation: .longestFirst)
    return [TaskFeature(exampleIndex: exampleIndex, rows: [FeatureRow(encoding)], target: target)]
  }

  public func forward(_ model: BertForSequenceClassification, batch: TaskBatch) throws
    -> (loss: Tensor?, outputs: Tensor)
  {
    let output = try model(batch.inputs, labels: batch.labels)
    return (output.loss, output.logits)
  }

  public func predictions(
    outputs: [FeatureOutput], features: [TaskFeature], examples: [ClassificationExample]
  ) throws -> [ClassificationPrediction] {
    outputs.map { output in
      ClassificationPrediction(label: argmax(output.values, count: output.values.count), logits: output.values)
    }
  }

  public func evaluate(predictions: [ClassificationPrediction], examples: [ClassificationExample]) throws
    -> EvaluationMetrics
  {
    let pairs = zip(predictions, examples).compactMap { prediction, example in
      example.label.map { (predicted: prediction.label, gold: $0) }
    }
    return EvaluationMetrics(
      values: ["accuracy": accuracy(pairs), "examples": Double(pairs.count)], primary: "accuracy")
  }
}
