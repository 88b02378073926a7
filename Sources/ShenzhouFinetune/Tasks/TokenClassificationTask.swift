import ShenzhouModels
import ShenzhouText

/// A text with one label per Unicode scalar, such as a sentence of a character-level NER corpus.
public struct TokenClassificationExample: Sendable, Hashable {
  public var text: String
  /// Label index of each Unicode scalar of `text` (a Python `str` character), negative for scalars without a
  /// label; nil for examples that are only predicted.
  public var labels: [Int]?

  public init(text: String, labels: [Int]?) {
    self.text = text
    self.labels = labels
  }
}

/// Predicted labels of one example, per Unicode scalar of its text.
public struct TokenClassificationPrediction: Sendable, Hashable {
  /// The label predicted at the first scalar of each word's first token; nil for other scalars (the rest of a
  /// multi-scalar token, whitespace, text cut off by truncation).
  public var labels: [Int?]

  public init(labels: [Int?]) {
    self.labels = labels
  }
}

/// Per-token classification with `BertForTokenClassification`, aligned to the text through token offsets.
///
/// Each token takes the label of the scalar where it starts. Word pieces that continue a word (`##ing`) get no
/// label, as in transformers' token-classification examples, unless `labelsEverySubword` is set. Chinese text is
/// split into one token per character, so there every character is labelled. The default metric is accuracy over
/// the labelled scalars that have a prediction, with a count of those that have none (inside a multi-scalar token,
/// or cut off by truncation). Entity-level F1 needs the task's tagging scheme and comes from the caller's metric.
public struct TokenClassificationTask: FinetuneTask {
  public typealias Model = BertForTokenClassification

  public let labelCount: Int
  /// Gives continuation word pieces the label of the scalar where they start, instead of none.
  public let labelsEverySubword: Bool

  public init(labelCount: Int, labelsEverySubword: Bool = false) {
    self.labelCount = labelCount
    self.labelsEverySubword = labelsEverySubword
  }

  public func validate(_ model: BertForTokenClassification) throws {
    try requireLabelCount(model, labelCount)
  }

  public func features(
    of example: TokenClassificationExample, exampleIndex: Int, tokenizer: BertTokenizer, maxLength: Int
  ) throws -> [TaskFeature] {
    let scalarCount = example.text.unicodeScalars.count
    if let labels = example.labels {
      guard labels.count == scalarCount else {
        throw ExampleError(
          "has \(labels.count) labels for \(scalarCount) characters; give one label per Unicode scalar")
      }
      if let bad = labels.first(where: { $0 >= labelCount }) {
        throw ExampleError("label \(bad) is outside 0..<\(labelCount); map labels to indices of the label list")
      }
    }
    let encoding = try tokenizer.encode(example.text, maxLength: maxLength, truncation: .longestFirst)
    let prefix = tokenizer.options.continuationPrefix
    var continuations = [Bool](repeating: false, count: encoding.count)
    for position in encoding.ids.indices where position > 0 && encoding.sequenceIDs[position] != nil {
      let joined = encoding.offsets[position - 1].upperBound == encoding.offsets[position].lowerBound
      let piece = tokenizer.token(forID: encoding.ids[position])?.hasPrefix(prefix) ?? false
      continuations[position] = joined && piece && encoding.sequenceIDs[position - 1] != nil
    }

    var target = FeatureTarget.none
    if let labels = example.labels {
      var tokenLabels = [Int](repeating: -100, count: encoding.count)
      for position in encoding.ids.indices where encoding.sequenceIDs[position] != nil {
        guard labelsEverySubword || !continuations[position] else { continue }
        let start = encoding.offsets[position].lowerBound
        if start < labels.count, labels[start] >= 0 { tokenLabels[position] = labels[start] }
      }
      target = .tokenLabels(tokenLabels)
    }
    return [
      TaskFeature(
        exampleIndex: exampleIndex, rows: [FeatureRow(encoding)], target: target, offsets: encoding.offsets,
        sequenceIDs: encoding.sequenceIDs, continuations: continuations)
    ]
  }

  public func forward(_ model: BertForTokenClassification, batch: TaskBatch) throws
    -> (loss: Tensor?, outputs: Tensor)
  {
    let output = try model(batch.inputs, labels: batch.labels)
    return (output.loss, output.logits)
  }

  public func predictions(
    outputs: [FeatureOutput], features: [TaskFeature], examples: [TokenClassificationExample]
  ) throws -> [TokenClassificationPrediction] {
    zip(outputs, features).map { output, feature in
      let example = examples[feature.exampleIndex]
      var labels = [Int?](repeating: nil, count: example.text.unicodeScalars.count)
      let classes = output.shape.last ?? 1
      for position in feature.offsets.indices where feature.sequenceIDs[position] != nil {
        guard !feature.continuations[position] else { continue }
        let start = feature.offsets[position].lowerBound
        guard start < labels.count else { continue }
        labels[start] = argmax(output.values, start: position * classes, count: classes)
      }
      return TokenClassificationPrediction(labels: labels)
    }
  }

  public func evaluate(predictions: [TokenClassificationPrediction], examples: [TokenClassificationExample])
    throws -> EvaluationMetrics
  {
    var pairs: [(predicted: Int, gold: Int)] = []
    var unpredicted = 0
    for (prediction, example) in zip(predictions, examples) {
      guard let gold = example.labels else { continue }
      for (index, label) in gold.enumerated() where label >= 0 {
        if let predicted = prediction.labels[index] {
          pairs.append((predicted: predicted, gold: label))
        } else {
          unpredicted += 1
        }
      }
    }
    return EvaluationMetrics(
      values: [
        "token_accuracy": accuracy(pairs), "scored_characters": Double(pairs.count),
        "unscored_characters": Double(unpredicted),
      ],
      primary: "token_accuracy")
  }
}
