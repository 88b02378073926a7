/// One input of a single-sentence or sentence-pair classification task.
public struct ClassificationExample: Sendable, Hashable {
  public var id: ExampleID
  public var text: String
  /// The second text of a sentence-pair task, nil for single-sentence tasks.
  public var pairText: String?
  /// The label's index in the dataset's ``LabelSet``, nil in an unlabelled (test) file.
  public var label: Int?

  public init(id: ExampleID, text: String, pairText: String? = nil, label: Int? = nil) {
    self.id = id
    self.text = text
    self.pairText = pairText
    self.label = label
  }
}

/// A record that a reader left out on purpose, such as an OCNLI pair whose annotators did not agree
/// (label `"-"`).
public struct SkippedRecord: Sendable, Hashable {
  public var location: RecordLocation
  public var id: ExampleID
  public var reason: String
}

/// The examples of one classification file with the label set their labels index.
public struct ClassificationDataset: Sendable {
  public var labels: LabelSet
  public var examples: [ClassificationExample]
  public var skippedRecords: [SkippedRecord]

  public init(labels: LabelSet, examples: [ClassificationExample], skippedRecords: [SkippedRecord] = []) {
    self.labels = labels
    self.examples = examples
    self.skippedRecords = skippedRecords
  }
}
