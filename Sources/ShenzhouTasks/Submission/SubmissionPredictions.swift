/// A predicted class label, written as the task's label string (such as `"102"` or `"neutral"`).
public struct LabelPrediction: Sendable, Hashable {
  public var id: ExampleID
  public var label: String

  public init(id: ExampleID, label: String) {
    self.id = id
    self.label = label
  }
}

/// A predicted answer text of a span extraction question.
public struct AnswerPrediction: Sendable, Hashable {
  public var id: ExampleID
  public var text: String

  public init(id: ExampleID, text: String) {
    self.id = id
    self.text = text
  }
}

/// A predicted choice: the 0-based index into the question's choices or candidates.
public struct ChoicePrediction: Sendable, Hashable {
  public var id: ExampleID
  public var index: Int

  public init(id: ExampleID, index: Int) {
    self.id = id
    self.index = index
  }
}

/// Predicted entities of one sentence. The text is needed to write each mention string.
public struct EntityPrediction: Sendable, Hashable {
  public var id: ExampleID
  public var text: String
  public var entities: [EntitySpan]

  public init(id: ExampleID, text: String, entities: [EntitySpan]) {
    self.id = id
    self.text = text
    self.entities = entities
  }
}

/// The predictions of one task, in the kind that its submission format takes.
public enum SubmissionPredictions: Sendable, Hashable {
  /// For ``TaskSpec/SubmissionFormat/labelLines``.
  case labels([LabelPrediction])
  /// For ``TaskSpec/SubmissionFormat/answerTextObject``.
  case answers([AnswerPrediction])
  /// For ``TaskSpec/SubmissionFormat/choiceIndexObject`` and
  /// ``TaskSpec/SubmissionFormat/choiceIndexLines``.
  case choices([ChoicePrediction])
  /// For ``TaskSpec/SubmissionFormat/entityLines``.
  case entities([EntityPrediction])

  var kindName: String {
    switch self {
    case .labels: "labels"
    case .answers: "answers"
    case .choices: "choices"
    case .entities: "entities"
    }
  }
}

/// Predictions that do not fit the task, or a submission file that cannot be written.
public enum SubmissionError: Error, Sendable, Hashable, CustomStringConvertible {
  case wrongPredictionKind(task: String, given: String, expected: String)
  case unknownLabel(task: String, id: ExampleID, label: String, known: String)
  case duplicateID(ExampleID)
  case invalidPrediction(id: ExampleID, message: String)
  case writeFailed(path: String, reason: String)
  case noSubmissionFiles(directory: String)
  case archiveTooLarge(path: String)

  public var description: String {
    switch self {
    case .wrongPredictionKind(let task, let given, let expected):
      "\(task) submissions take \(expected) predictions, not \(given)"
    case .unknownLabel(let task, let id, let label, let known):
      "prediction for id \(id): label \"\(label)\" is not a \(task) label (\(known))"
    case .duplicateID(let id):
      "id \(id) has more than one prediction"
    case .invalidPrediction(let id, let message):
      "prediction for id \(id): \(message)"
    case .writeFailed(let path, let reason):
      "cannot write \(path): \(reason)"
    case .noSubmissionFiles(let directory):
      "no *_predict.json files in \(directory), so write the submissions first"
    case .archiveTooLarge(let path):
      "\(path) would need ZIP64 (over 4 GiB or 65,535 files), which is not supported"
    }
  }
}
