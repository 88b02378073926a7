import ShenzhouNN

/// How `BertForSequenceClassification` turns logits and labels into a loss (`problem_type` in config.json).
public enum SequenceClassificationProblem: String, Sendable, CaseIterable {
  /// Mean squared error against float labels; the usual choice with one label.
  case regression
  /// Cross entropy against one class index per example.
  case singleLabel = "single_label_classification"
  /// Binary cross entropy with logits against a 0/1 float vector per example.
  case multiLabel = "multi_label_classification"
}

// MARK: - Labels and head settings

extension BertConfig {
  /// Number of outputs of a classification head: the size of `id2label`, else `num_labels` from config.json,
  /// else 2, which is the transformers 5.25 default.
  public var numLabels: Int {
    if !id2label.isEmpty { return id2label.count }
    if let count = extraFields["num_labels"]?.intValue, count > 0 { return count }
    return 2
  }

  /// Class names by index, with transformers' `LABEL_<i>` for indices that `id2label` does not name.
  public var labelNames: [String] {
    (0..<numLabels).map { id2label[$0] ?? "LABEL_\($0)" }
  }

  /// Replaces `id2label` with `names` in index order, and drops a stale `num_labels` field.
  public mutating func setLabels(_ names: [String]) {
    id2label = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.offset, $0.element) })
    extraFields["num_labels"] = nil
    extraFields["_num_labels"] = nil
  }

  /// Dropout before a classifier (`classifier_dropout`); nil means `hidden_dropout_prob`.
  public var classifierDropout: Double? {
    get { extraFields["classifier_dropout"]?.doubleValue }
    set { extraFields["classifier_dropout"] = newValue.map { .number($0) } ?? .null }
  }

  /// The dropout probability that the heads apply before their classifier.
  public var effectiveClassifierDropout: Double { classifierDropout ?? hiddenDropoutProb }

  /// `problem_type` from config.json; nil lets the labels decide, as transformers does.
  public var problemType: SequenceClassificationProblem? {
    get { extraFields["problem_type"]?.stringValue.flatMap(SequenceClassificationProblem.init(rawValue:)) }
    set { extraFields["problem_type"] = newValue.map { .string($0.rawValue) } ?? .null }
  }

  /// Checks the fields that task heads read: `id2label` indices must run from 0 without gaps,
  /// `classifier_dropout` must lie in [0, 1), and `problem_type` must be a known kind.
  public func validateHeadFields(source: String = "config") throws {
    if !id2label.isEmpty {
      let expected = Set(0..<id2label.count)
      guard Set(id2label.keys) == expected else {
        let keys = id2label.keys.sorted().map(String.init).joined(separator: ", ")
        throw ConfigError(
          source: source, field: "id2label",
          message: "has indices [\(keys)]; expected 0 to \(id2label.count - 1) without gaps")
      }
    }
    if let value = extraFields["classifier_dropout"], value != .null {
      guard let probability = value.doubleValue, (0..<1).contains(probability) else {
        throw ConfigError(source: source, field: "classifier_dropout", message: "must be null or in [0, 1), got \(value)")
      }
    }
    if let value = extraFields["problem_type"], value != .null {
      let kinds = SequenceClassificationProblem.allCases.map(\.rawValue)
      guard let name = value.stringValue, kinds.contains(name) else {
        throw ConfigError(
          source: source, field: "problem_type",
          message: "must be null or one of \(kinds.joined(separator: ", ")), got \(value)")
      }
    }
  }
}
