// MARK: - TNEWS, IFLYTEK

/// The use of the `keywords` field of a TNEWS record (a comma-separated list, often empty).
public enum TNEWSKeywordUse: Sendable, Hashable {
  /// Use the headline alone.
  case ignore
  /// Append the keywords to the headline after `separator`. Records with empty keywords keep the
  /// headline unchanged.
  case append(separator: String)
  /// Use the keywords as the second text of a pair.
  case pairText
}

extension CLUEReader {
  /// Reads TNEWS: `sentence`, `label` (a string id such as `"102"`; the 15 ids run from 100 to 116
  /// without 105 and 111), `label_desc` and `keywords`. Pass `labels` from ``LabelSet/load(path:)``
  /// on the task's labels.json to use its label order and names.
  public static func readTNEWS(
    path: String, labels: LabelSet = TaskSpec.tnews.labels, keywords: TNEWSKeywordUse = .ignore,
    requireLabels: Bool = true
  ) throws -> ClassificationDataset {
    try readClassificationLines(path: path, labels: labels, requireLabels: requireLabels) { fields in
      let sentence = try fields.string("sentence")
      switch keywords {
      case .ignore:
        return (sentence, nil)
      case .append(let separator):
        let words = try fields.optionalString("keywords") ?? ""
        return (words.isEmpty ? sentence : sentence + separator + words, nil)
      case .pairText:
        return (sentence, try fields.optionalString("keywords") ?? "")
      }
    }
  }

  /// Reads IFLYTEK: `sentence` (an app description) and `label`, an integer or a string from "0" to
  /// "118". The label name in `label_des` is not checked. Pass `labels` from labels.json to carry
  /// the names along.
  public static func readIFLYTEK(
    path: String, labels: LabelSet = TaskSpec.iflytek.labels, requireLabels: Bool = true
  ) throws -> ClassificationDataset {
    try readClassificationLines(path: path, labels: labels, requireLabels: requireLabels) { fields in
      (try fields.string("sentence"), nil)
    }
  }
}
