import ShenzhouText

/// Token ids and segment ids of one model input row, without padding.
public struct FeatureRow: Sendable, Hashable {
  public var ids: [Int32]
  public var typeIDs: [Int32]

  public init(ids: [Int32], typeIDs: [Int32]) {
    self.ids = ids
    self.typeIDs = typeIDs
  }

  /// The row of an encoding, dropping any padding.
  public init(_ encoding: Encoding) {
    let length = encoding.attentionMask.lastIndex(of: 1).map { $0 + 1 } ?? 0
    ids = Array(encoding.ids.prefix(length))
    typeIDs = Array(encoding.typeIDs.prefix(length))
  }
}

/// The training target of one feature.
public enum FeatureTarget: Sendable, Hashable {
  /// No target: the feature is only predicted.
  case none
  /// A class index (sequence classification) or a choice index (multiple choice).
  case classIndex(Int)
  /// Class per token of the first row, -100 where a token has none.
  case tokenLabels([Int])
  /// Token positions of the first and last token of a span in the first row; (0, 0) points at `[CLS]` when the
  /// span is outside the row.
  case span(start: Int, end: Int)

  var kind: String {
    switch self {
    case .none: "none"
    case .classIndex: "class index"
    case .tokenLabels: "token labels"
    case .span: "span"
    }
  }
}

/// One model input made from an example, with its target and what is needed to map outputs back to the text.
///
/// Most tasks make one feature per example. Span extraction makes one per window of a long context, and
/// multiple choice puts one row per choice into a single feature.
public struct TaskFeature: Sendable, Hashable {
  /// Index of the example in its set.
  public var exampleIndex: Int
  /// One row, or one row per choice.
  public var rows: [FeatureRow]
  public var target: FeatureTarget
  /// Span of each token of the first row in its own text, in Unicode scalars; empty ranges for special tokens.
  /// Empty when the task maps no outputs back to the text.
  public var offsets: [Range<Int>]
  /// For each token of the first row: 0 or 1 for the first or second text, nil for special tokens.
  public var sequenceIDs: [Int?]
  /// For each token of the first row: whether it is a word piece that continues the previous token's word.
  public var continuations: [Bool]

  public init(
    exampleIndex: Int, rows: [FeatureRow], target: FeatureTarget, offsets: [Range<Int>] = [],
    sequenceIDs: [Int?] = [], continuations: [Bool] = []
  ) {
    self.exampleIndex = exampleIndex
    self.rows = rows
    self.target = target
    self.offsets = offsets
    self.sequenceIDs = sequenceIDs
    self.continuations = continuations
  }
}

/// The outputs of the model for one feature, copied to the host, without the batch dimension.
public struct FeatureOutput: Sendable {
  /// Row-major values of shape `shape`.
  public var values: [Float]
  /// For example [numLabels], [T, numLabels] for token classification (T is the batch's padded length), [T, 2]
  /// for span extraction, or [C] for multiple choice.
  public var shape: [Int]

  public init(values: [Float], shape: [Int]) {
    self.values = values
    self.shape = shape
  }
}
