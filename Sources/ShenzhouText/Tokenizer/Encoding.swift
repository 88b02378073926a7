/// Model input for one text or text pair, in the layout of Hugging Face `BatchEncoding`:
/// `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`, then padding on the right.
public struct Encoding: Sendable, Hashable {
  public var ids: [Int32]
  /// 1 for the second sequence and its `[SEP]`, 0 for everything else (`[CLS]`, the first sequence
  /// and its `[SEP]`, padding).
  public var typeIDs: [Int32]
  /// 1 for real tokens, 0 for padding.
  public var attentionMask: [Int32]
  /// 1 for `[CLS]`, `[SEP]` and padding, 0 for tokens of the texts.
  public var specialTokensMask: [Int32]
  /// Span of each token in its own text, in Unicode scalars. Special tokens and padding get `0..<0`.
  public var offsets: [Range<Int>]
  /// 0 or 1 for tokens of the first or second text, nil for special tokens and padding.
  public var sequenceIDs: [Int?]

  public init() {
    ids = []
    typeIDs = []
    attentionMask = []
    specialTokensMask = []
    offsets = []
    sequenceIDs = []
  }

  public var count: Int { ids.count }

  mutating func reserveCapacity(_ capacity: Int) {
    ids.reserveCapacity(capacity)
    typeIDs.reserveCapacity(capacity)
    attentionMask.reserveCapacity(capacity)
    specialTokensMask.reserveCapacity(capacity)
    offsets.reserveCapacity(capacity)
    sequenceIDs.reserveCapacity(capacity)
  }

  mutating func append(
    id: Int32, typeID: Int32, offset: Range<Int>, sequence: Int?, special: Bool, attended: Bool = true
  ) {
    ids.append(id)
    typeIDs.append(typeID)
    attentionMask.append(attended ? 1 : 0)
    specialTokensMask.append(special ? 1 : 0)
    offsets.append(offset)
    sequenceIDs.append(sequence)
  }
}

/// How to shorten an encoding that is longer than the maximum length. The maximum counts the
/// special tokens.
public enum TruncationStrategy: String, Sendable, Hashable, CaseIterable {
  /// Keep everything.
  case none
  /// Take tokens from the end of the longer sequence, as Hugging Face `tokenizers` does. Each text
  /// keeps at least half of the budget when it needs it, and the longer text gets the odd token
  /// (the second one when both have the same length).
  case longestFirst = "longest_first"
  /// Take tokens from the end of the first text only.
  case onlyFirst = "only_first"
  /// Take tokens from the end of the second text only.
  case onlySecond = "only_second"
}

/// How to pad encodings on the right with the padding token.
public enum PaddingStrategy: Sendable, Hashable {
  case none
  /// Pad every encoding of a batch to the longest one (a single encoding stays as it is).
  case longest
  /// Pad to the `maxLength` of the call (or `modelMaxLength` of the options).
  case maxLength
  /// Pad to this many tokens.
  case fixed(Int)
}
