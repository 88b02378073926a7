// MARK: - Masking configuration

/// Unit in which masking selects tokens.
public enum MaskingStrategy: Codable, Equatable, Sendable {
  /// Each token on its own, as in the original BERT.
  case token
  /// All pieces of a word together, where words come from the shard's word-start bits.
  case wholeWord
  /// Runs of whole words whose lengths in words follow a geometric distribution with success
  /// probability `p`, truncated at `maxLength` and renormalised, as in SpanBERT (p 0.2, max 10).
  case span(p: Double, maxLength: Int)
}

/// Fraction of the maskable tokens that a sequence gets selected for prediction.
public enum MaskingRatio: Codable, Equatable, Sendable {
  case fixed(Double)
  /// A ratio drawn per sequence from the uniform distribution on [lower, upper].
  case uniform(lower: Double, upper: Double)
}

/// Whether the [MASK] / random / keep decision is drawn per token or once per selected word or span.
public enum ReplacementScope: String, Codable, Equatable, Sendable {
  case perToken
  case perUnit
}

/// Settings of a `TokenMasker`.
public struct MaskingConfiguration: Codable, Equatable, Sendable {
  public var strategy: MaskingStrategy
  public var ratio: MaskingRatio
  /// Probability that a selected token becomes [MASK].
  public var maskProbability: Double
  /// Probability that a selected token becomes a random non-special token. The rest keep their id.
  public var randomTokenProbability: Double
  public var replacementScope: ReplacementScope
  /// Upper bound on the selected tokens per sequence, or nil for none.
  public var maxPredictions: Int?

  public init(
    strategy: MaskingStrategy = .token, ratio: MaskingRatio = .fixed(0.15), maskProbability: Double = 0.8,
    randomTokenProbability: Double = 0.1, replacementScope: ReplacementScope = .perToken, maxPredictions: Int? = nil
  ) {
    self.strategy = strategy
    self.ratio = ratio
    self.maskProbability = maskProbability
    self.randomTokenProbability = randomTokenProbability
    self.replacementScope = replacementScope
    self.maxPredictions = maxPredictions
  }

  /// Checks every probability and bound.
  public func validate() throws(MaskingError) {
    func check(_ valid: Bool, _ name: String, _ value: String, _ reason: String) throws(MaskingError) {
      if !valid { throw .invalidOption(name: name, value: value, reason: reason) }
    }
    switch ratio {
    case .fixed(let value):
      try check(value > 0 && value <= 1, "ratio", "\(value)", "use a ratio in (0, 1]")
    case .uniform(let lower, let upper):
      try check(
        lower >= 0 && lower <= upper && upper <= 1 && upper > 0, "ratio", "U(\(lower), \(upper))",
        "use bounds with 0 <= lower <= upper <= 1 and upper > 0")
    }
    if case .span(let p, let maxLength) = strategy {
      try check(p > 0 && p <= 1, "span p", "\(p)", "use a probability in (0, 1]")
      try check(maxLength >= 1, "span maxLength", "\(maxLength)", "use at least 1 word")
    }
    try check(
      maskProbability >= 0 && randomTokenProbability >= 0 && maskProbability + randomTokenProbability <= 1,
      "replacement probabilities", "\(maskProbability) / \(randomTokenProbability)",
      "use non-negative probabilities whose sum is at most 1")
    if let maxPredictions {
      try check(maxPredictions >= 1, "maxPredictions", "\(maxPredictions)", "use at least 1")
    }
  }
}

/// Error for masking or loader settings that cannot work.
public enum MaskingError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidOption(name: String, value: String, reason: String)

  public var description: String {
    switch self {
    case .invalidOption(let name, let value, let reason):
      return "invalid masking setting \(name) = \(value): \(reason)"
    }
  }
}

// MARK: - Output

/// One sequence after masking.
public struct MaskedSequence: Equatable, Sendable {
  /// Token ids with the selected tokens replaced.
  public var inputIDs: [Int32]
  /// Original id at each selected position, `TokenMasker.ignoredLabel` (-100) elsewhere.
  public var labels: [Int32]
  /// Selected positions in ascending order.
  public var maskedPositions: [Int32]
}
