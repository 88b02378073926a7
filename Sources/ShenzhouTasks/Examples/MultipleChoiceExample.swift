/// One question of a multiple-choice task: C3 (a dialogue or passage and a question) or ChID (a
/// passage with one idiom blank and candidate idioms).
public struct MultipleChoiceExample: Sendable, Hashable {
  public var id: ExampleID
  /// The passage. For C3, the dialogue lines joined with "\n". For ChID, the content with the
  /// current blank replaced by the current-blank marker and other blanks by the other-blank marker.
  public var context: String
  /// The question, empty for ChID.
  public var question: String
  public var choices: [String]
  /// The index of the right choice, nil in an unlabelled (test) file.
  public var answer: Int?
  /// For ChID, the current blank marker's range in `context`, in Unicode scalars.
  public var blankRange: Range<Int>?

  public init(
    id: ExampleID, context: String, question: String, choices: [String], answer: Int?, blankRange: Range<Int>? = nil
  ) {
    self.id = id
    self.context = context
    self.question = question
    self.choices = choices
    self.answer = answer
    self.blankRange = blankRange
  }
}

/// The questions of one multiple-choice file.
public struct MultipleChoiceDataset: Sendable {
  public var examples: [MultipleChoiceExample]
}
