/// A gold answer of an extractive reading comprehension question.
public struct AnswerSpan: Sendable, Hashable {
  public var text: String
  /// The `answer_start` written in the file, in Unicode scalars (Python string indices).
  public var declaredStart: Int
  /// Where the answer text really starts in the context, in Unicode scalars: `declaredStart` when
  /// the text is there, else the occurrence nearest to it, nil when the context does not contain
  /// the text.
  public var start: Int?

  public init(text: String, declaredStart: Int, start: Int?) {
    self.text = text
    self.declaredStart = declaredStart
    self.start = start
  }

  /// The answer's scalar range in the context, nil when it was not found.
  public var range: Range<Int>? {
    guard let start else { return nil }
    return start..<(start + text.unicodeScalars.count)
  }
}

/// One question of a SQuAD-style span extraction task (CMRC2018).
public struct SpanExtractionExample: Sendable, Hashable {
  public var id: ExampleID
  public var context: String
  public var question: String
  /// Gold answers, empty in a test file. CMRC2018 dev questions have several, and scoring takes the
  /// best match over them.
  public var answers: [AnswerSpan]

  public init(id: ExampleID, context: String, question: String, answers: [AnswerSpan]) {
    self.id = id
    self.context = context
    self.question = question
    self.answers = answers
  }
}

/// The questions of one span extraction file.
public struct SpanExtractionDataset: Sendable {
  public var examples: [SpanExtractionExample]
  /// Answers whose `answer_start` did not point at their text but whose text was found elsewhere
  /// in the context (the nearest occurrence is used).
  public var relocatedAnswerCount: Int
  /// Answers whose text does not occur in the context (CMRC2018 dev writes `answer_start` -1 for
  /// some of them). They still count for scoring but give no training position.
  public var unlocatedAnswerCount: Int
}
