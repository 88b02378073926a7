import ShenzhouModels
import ShenzhouText

/// A question with candidate answers, such as a C3 dialogue and question with its options.
public struct MultipleChoiceExample: Sendable, Hashable {
  /// The first text of every row, such as the passage followed by the question.
  public var context: String
  /// The second text of each row, one per choice.
  public var choices: [String]
  /// Index of the correct choice; nil for examples that are only predicted.
  public var label: Int?

  public init(context: String, choices: [String], label: Int?) {
    self.context = context
    self.choices = choices
    self.label = label
  }
}

/// The predicted choice of one example with the scores of all its choices.
public struct MultipleChoicePrediction: Sendable, Hashable {
  public var choice: Int
  public var logits: [Float]

  public init(choice: Int, logits: [Float]) {
    self.choice = choice
    self.logits = logits
  }
}

/// Multiple choice with `BertForMultipleChoice`: one `[CLS] context [SEP] choice [SEP]` row per choice, truncated
/// longest-first, scored together with cross entropy over the choices. Examples may have different numbers of
/// choices; the batch pads them with masked rows. The metric is accuracy.
public struct MultipleChoiceTask: FinetuneTask {
  public typealias Model = BertForMultipleChoice

  public init() {}

  public var batchesByChoices: Bool { true }

  public func features(
    of example: MultipleChoiceExample, exampleIndex: Int, tokenizer: BertTokenizer, maxLength: Int
  ) throws -> [TaskFeature] {
    guard !example.choices.isEmpty else { throw ExampleError("has no choices; give at least one") }
    var target = FeatureTarget.none
    if let label = example.label {
      guard example.choices.indices.contains(label) else {
        throw ExampleError("label \(label) is outside 0..<\(example.choices.count), the indices of its choices")
      }
      target = .classIndex(label)
    }
    let rows = try example.choices.map { choice in
      FeatureRow(try tokenizer.encode(example.context, pair: choice, maxLength: maxLength, truncation: .longestFirst))
    }
    return [TaskFeature(exampleIndex: exampleIndex, rows: rows, target: target)]
  }

  public func forward(_ model: BertForMultipleChoice, batch: TaskBatch) throws -> (loss: Tensor?, outputs: Tensor) {
    let output = try model(batch.inputs, labels: batch.labels, choiceMask: batch.choiceMask)
    return (output.loss, output.logits)
  }

  public func predictions(
    outputs: [FeatureOutput], features: [TaskFeature], examples: [MultipleChoiceExample]
  ) throws -> [MultipleChoicePrediction] {
    zip(outputs, features).map { output, feature in
      let count = examples[feature.exampleIndex].choices.count
      let logits = Array(output.values.prefix(count))
      return MultipleChoicePrediction(choice: argmax(logits, count: logits.count), logits: logits)
    }
  }

  public func evaluate(predictions: [MultipleChoicePrediction], examples: [MultipleChoiceExample]) throws
    -> EvaluationMetrics
  {
    let pairs = zip(predictions, examples).compactMap { prediction, example in
      example.label.map { (predicted: prediction.choice, gold: $0) }
    }
    return EvaluationMetrics(
      values: ["accuracy": accuracy(pairs), "examples": Double(pairs.count)], primary: "accuracy")
  }
}
