/// The examples of any task, in the shape of its kind.
public enum TaskDataset: Sendable {
  case classification(ClassificationDataset)
  case spanExtraction(SpanExtractionDataset)
  case multipleChoice(MultipleChoiceDataset)
  case tokenClassification(EntityDataset)

  /// The number of examples (questions, blanks or sentences).
  public var count: Int {
    switch self {
    case .classification(let dataset): dataset.examples.count
    case .spanExtraction(let dataset): dataset.examples.count
    case .multipleChoice(let dataset): dataset.examples.count
    case .tokenClassification(let dataset): dataset.examples.count
    }
  }
}
