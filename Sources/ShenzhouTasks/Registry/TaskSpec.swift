/// A task's shape, labels, metric, fine-tuning defaults and submission file.
public struct TaskSpec: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case singleSentenceClassification = "single_sentence_classification"
    case sentencePairClassification = "sentence_pair_classification"
    case spanExtraction = "span_extraction"
    case multipleChoice = "multiple_choice"
    case tokenClassification = "token_classification"
  }

  public enum Metric: String, Sendable, Hashable {
    case accuracy
    /// CMRC2018 exact match and F1 (see ``CMRC2018Metric``).
    case exactMatchAndF1 = "em_f1"
    /// Entity-level micro precision, recall and F1 with exact span and type match.
    case entityF1 = "entity_f1"
  }

  /// Fine-tuning settings to start from.
  public struct TrainingDefaults: Sendable, Hashable {
    /// Maximum tokens per input, special tokens included.
    public var maxLength: Int
    public var learningRate: Double
    public var epochs: Int
    public var batchSize: Int

    public init(maxLength: Int, learningRate: Double, epochs: Int, batchSize: Int) {
      self.maxLength = maxLength
      self.learningRate = learningRate
      self.epochs = epochs
      self.batchSize = batchSize
    }
  }

  /// The layout of a submission file.
  public enum SubmissionFormat: String, Sendable, Hashable {
    /// JSON Lines of `{"id": ..., "label": "<label string>"}` in test-file order.
    case labelLines = "label_lines"
    /// One JSON object mapping each question id to its answer text.
    case answerTextObject = "answer_text_object"
    /// One JSON object mapping each blank id to the chosen candidate's index.
    case choiceIndexObject = "choice_index_object"
    /// JSON Lines of `{"id": ..., "label": <choice index>}`.
    case choiceIndexLines = "choice_index_lines"
    /// JSON Lines of `{"id": ..., "label": {type: {mention: [[start, end]]}}}` with `end` inclusive,
    /// the layout of the CLUENER data.
    case entityLines = "entity_lines"
  }

  /// The lowercase name used on the command line and in the submission file name.
  public var name: String
  public var displayName: String
  public var kind: Kind
  /// Class labels, or entity types for token classification. Empty for span extraction and
  /// multiple choice, which predict positions and choice indices.
  public var labels: LabelSet
  public var metric: Metric
  public var defaults: TrainingDefaults
  public var submissionFormat: SubmissionFormat

  public init(
    name: String, displayName: String, kind: Kind, labels: LabelSet, metric: Metric, defaults: TrainingDefaults,
    submissionFormat: SubmissionFormat
  ) {
    self.name = name
    self.displayName = displayName
    self.kind = kind
    self.labels = labels
    self.metric = metric
    self.defaults = defaults
    self.submissionFormat = submissionFormat
  }

  /// `{name}_predict.json`, the name that the CLUE submission guide requires.
  public var submissionFileName: String { "\(name)_predict.json" }
}
