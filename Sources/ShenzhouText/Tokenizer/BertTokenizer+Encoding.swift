// MARK: - Encoding

extension BertTokenizer {
  /// Encodes a text or text pair into model input.
  ///
  /// - Parameters:
  ///   - pair: Second text. An empty string counts as no second text, as in transformers 5.25.
  ///   - maxLength: Length limit for truncation and for `.maxLength` padding, counting `[CLS]` and
  ///     `[SEP]`. Nil uses `options.modelMaxLength`.
  /// - Throws: `TokenizerError.invalidOptions` when truncation or `.maxLength` padding has no
  ///   length, `TokenizerError.truncationFailed` when the strategy cannot reach the length (the
  ///   sequence it may shorten is too short, or `.onlySecond` without a pair).
  public func encode(
    _ text: String, pair: String? = nil, addSpecialTokens: Bool = true, maxLength: Int? = nil,
    truncation: TruncationStrategy = .none, padding: PaddingStrategy = .none
  ) throws(TokenizerError) -> Encoding {
    var scratch = TokenizationScratch(tokenizer: self)
    var encoding = try encode(
      text, pair: pair, addSpecialTokens: addSpecialTokens, maxLength: maxLength,
      truncation: truncation, scratch: &scratch)
    try pad(&encoding, padding: padding, maxLength: maxLength, longest: encoding.count)
    return encoding
  }

  /// Encodes many texts (and optional pairs, one per text) on the calling thread, reusing buffers.
  /// `.longest` padding pads to the longest encoding of the batch. The parameters mean the same as
  /// in `encode(_:pair:addSpecialTokens:maxLength:truncation:padding:)`.
  public func encodeBatch(
    _ texts: [String], pairs: [String]? = nil, addSpecialTokens: Bool = true,
    maxLength: Int? = nil, truncation: TruncationStrategy = .none,
    padding: PaddingStrategy = .none
  ) throws(TokenizerError) -> [Encoding] {
    if let pairs, pairs.count != texts.count {
      throw .invalidOptions("encodeBatch got \(texts.count) texts but \(pairs.count) pairs")
    }
    var scratch = TokenizationScratch(tokenizer: self)
    var encodings: [Encoding] = []
    encodings.reserveCapacity(texts.count)
    for (index, text) in texts.enumerated() {
      encodings.append(
        try encode(
          text, pair: pairs?[index], addSpecialTokens: addSpecialTokens, maxLength: maxLength,
          truncation: truncation, scratch: &scratch))
    }
    let longest = encodings.map(\.count).max() ?? 0
    for index in encodings.indices {
      try pad(&encodings[index], padding: padding, maxLength: maxLength, longest: longest)
    }
    return encodings
  }

  // MARK: Steps

  private func encode(
    _ text: String, pair: String?, addSpecialTokens: Bool, maxLength: Int?,
    truncation: TruncationStrategy, scratch: inout TokenizationScratch
  ) throws(TokenizerError) -> Encoding {
    let pair = pair?.isEmpty == false ? pair : nil
    var first = scratch.tokenize(text)
    var second = pair.map { scratch.tokenize($0) }
    if truncation != .none {
      guard let limit = maxLength ?? options.modelMaxLength else {
        throw .invalidOptions(
          "truncation \(truncation.rawValue) needs maxLength or options.modelMaxLength")
      }
      var specialCount = 0
      if addSpecialTokens { specialCount = pair == nil ? 2 : 3 }
      // A limit below the number of special tokens leaves the encoding untruncated, as
      // transformers 5.25 does with the Rust tokenizer.
      if limit >= specialCount {
        let (firstLength, secondLength) = try Self.truncatedLengths(
          first: first.count, second: second?.count, budget: limit - specialCount,
          strategy: truncation)
        first.removeLast(first.count - firstLength)
        if let secondLength, var kept = second {
          kept.removeLast(kept.count - secondLength)
          second = kept
        }
      }
    }

    var encoding = Encoding()
    encoding.reserveCapacity(first.count + (second?.count ?? 0) + 3)
    if addSpecialTokens {
      encoding.append(id: clsTokenID, typeID: 0, offset: 0..<0, sequence: nil, special: true)
    }
    Self.appendSequence(first, sequence: 0, to: &encoding)
    if addSpecialTokens {
      encoding.append(id: sepTokenID, typeID: 0, offset: 0..<0, sequence: nil, special: true)
    }
    if let second {
      Self.appendSequence(second, sequence: 1, to: &encoding)
      if addSpecialTokens {
        encoding.append(id: sepTokenID, typeID: 1, offset: 0..<0, sequence: nil, special: true)
      }
    }
    return encoding
  }

  private static func appendSequence(_ tokens: TokenColumns, sequence: Int, to encoding: inout Encoding) {
    for index in 0..<tokens.count {
      encoding.append(
        id: tokens.ids[index], typeID: Int32(sequence),
        offset: Int(tokens.starts[index])..<Int(tokens.ends[index]), sequence: sequence,
        special: false)
    }
  }

  /// Returns how many tokens of each text to keep so that they fit `budget` (the limit without
  /// special tokens), following `truncate_encodings` of Hugging Face `tokenizers`.
  static func truncatedLengths(
    first: Int, second: Int?, budget: Int, strategy: TruncationStrategy
  ) throws(TokenizerError) -> (Int, Int?) {
    let total = first + (second ?? 0)
    if budget == 0 { return (0, second.map { _ in 0 }) }
    if total <= budget { return (first, second) }
    switch strategy {
    case .none:
      return (first, second)
    case .longestFirst:
      guard let second else { return (budget, nil) }
      var shorter = min(first, second)
      var longer = max(first, second)
      longer = shorter > budget ? shorter : max(shorter, budget - shorter)
      if shorter + longer > budget {
        shorter = budget / 2
        longer = shorter + budget % 2
      }
      return first > second ? (longer, shorter) : (shorter, longer)
    case .onlyFirst:
      let excess = total - budget
      guard first > excess else {
        throw .truncationFailed(
          "the first text has \(first) tokens but \(excess) must go; use longestFirst or a larger maxLength")
      }
      return (first - excess, second)
    case .onlySecond:
      guard let second else {
        throw .truncationFailed("onlySecond needs a second text; use onlyFirst or longestFirst")
      }
      let excess = total - budget
      guard second > excess else {
        throw .truncationFailed(
          "the second text has \(second) tokens but \(excess) must go; use longestFirst or a larger maxLength")
      }
      return (first, second - excess)
    }
  }

  private func pad(
    _ encoding: inout Encoding, padding: PaddingStrategy, maxLength: Int?, longest: Int
  ) throws(TokenizerError) {
    let target: Int
    switch padding {
    case .none:
      return
    case .longest:
      target = longest
    case .maxLength:
      guard let limit = maxLength ?? options.modelMaxLength else {
        throw .invalidOptions("padding .maxLength needs maxLength or options.modelMaxLength")
      }
      target = limit
    case .fixed(let length):
      target = length
    }
    guard encoding.count < target else { return }
    encoding.reserveCapacity(target)
    for _ in encoding.count..<target {
      encoding.append(
        id: padTokenID, typeID: 0, offset: 0..<0, sequence: nil, special: true, attended: false)
    }
  }
}
