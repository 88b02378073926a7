// MARK: - Token masker

/// Selects tokens for masked language modelling and applies the [MASK] / random / keep replacement.
///
/// The number of tokens to select is `max(1, round(ratio × maskable))`, capped by `maxPredictions`,
/// where maskable tokens are those that are not special tokens. Words or spans that would overshoot
/// the count are skipped, so whole-word and span masking may select slightly fewer tokens. All
/// randomness comes from the generator passed in, so equal generators give equal output.
public struct TokenMasker: Sendable {
  /// Label of positions that are not predicted; PyTorch's cross-entropy ignores it by default.
  public static let ignoredLabel: Int32 = -100

  public let configuration: MaskingConfiguration
  public let vocabularySize: Int
  public let specialTokens: SpecialTokenIDs
  private let isSpecial: [Bool]
  private let spanLengthCumulative: [Double]

  /// - Throws: `MaskingError` for invalid settings or special token ids outside the vocabulary.
  public init(configuration: MaskingConfiguration, vocabulary: VocabularyDescription) throws(MaskingError) {
    try configuration.validate()
    let size = vocabulary.size
    let specials = vocabulary.specialTokens.all
    guard size > specials.count, specials.allSatisfy({ $0 >= 0 && Int($0) < size }) else {
      throw .invalidOption(
        name: "vocabulary", value: "size \(size), special ids \(specials)",
        reason: "special token ids must lie inside a vocabulary that also has ordinary tokens")
    }
    self.configuration = configuration
    vocabularySize = size
    specialTokens = vocabulary.specialTokens
    var table = [Bool](repeating: false, count: size)
    for id in specials { table[Int(id)] = true }
    isSpecial = table
    if case .span(let p, let maxLength) = configuration.strategy {
      spanLengthCumulative = TokenMasker.truncatedGeometricCumulative(p: p, maxLength: maxLength)
    } else {
      spanLengthCumulative = []
    }
  }

  /// Masks one sequence with the generator of sample `sampleIndex` in `epoch`, so that every epoch
  /// draws new masks and each sample's masks do not depend on batch order or thread count.
  public func mask(tokenIDs: [Int32], wordStarts: [Bool], seed: UInt64, epoch: Int, sampleIndex: Int) -> MaskedSequence {
    var generator = Xoshiro256StarStar(seed: seed, streams: UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: sampleIndex))
    return mask(tokenIDs: tokenIDs, wordStarts: wordStarts, using: &generator)
  }

  /// Masks one sequence.
  ///
  /// - Parameter wordStarts: one flag per token, true where a word starts. Token masking ignores it.
  public func mask(
    tokenIDs: [Int32], wordStarts: [Bool], using generator: inout some RandomNumberGenerator
  ) -> MaskedSequence {
    precondition(tokenIDs.count == wordStarts.count, "mask(tokenIDs:wordStarts:) needs one flag per token")
    let units = maskableUnits(tokenIDs: tokenIDs, wordStarts: wordStarts)
    let maskableCount = units.reduce(0) { $0 + $1.count }
    var output = MaskedSequence(
      inputIDs: tokenIDs, labels: [Int32](repeating: TokenMasker.ignoredLabel, count: tokenIDs.count),
      maskedPositions: [])
    guard maskableCount > 0 else { return output }

    let ratio: Double
    switch configuration.ratio {
    case .fixed(let value):
      ratio = value
    case .uniform(let lower, let upper):
      ratio = lower + (upper - lower) * generator.nextUnitDouble()
    }
    var target = max(1, Int((Double(maskableCount) * ratio).rounded()))
    if let limit = configuration.maxPredictions { target = min(target, limit) }
    target = min(target, maskableCount)

    let selected: [Range<Int>]
    switch configuration.strategy {
    case .token, .wholeWord:
      selected = selectUnits(units, target: target, using: &generator)
    case .span:
      selected = selectSpans(units, target: target, using: &generator)
    }
    applyReplacements(selected, to: &output, using: &generator)
    return output
  }

  // MARK: - Units

  /// Groups the maskable tokens into units: single tokens for token masking, words otherwise. A word
  /// ends at a special token even when the next token is marked as continuing it.
  private func maskableUnits(tokenIDs: [Int32], wordStarts: [Bool]) -> [Range<Int>] {
    var units: [Range<Int>] = []
    units.reserveCapacity(tokenIDs.count)
    let groupsWords = configuration.strategy != .token
    var unitStart: Int?
    for index in tokenIDs.indices {
      let id = tokenIDs[index]
      let maskable = id >= 0 && Int(id) < vocabularySize && !isSpecial[Int(id)]
      if let start = unitStart, !maskable || !groupsWords || wordStarts[index] {
        units.append(start..<index)
        unitStart = nil
      }
      if maskable, unitStart == nil { unitStart = index }
    }
    if let start = unitStart { units.append(start..<tokenIDs.count) }
    return units
  }

  /// Picks units in random order until `target` tokens are selected, skipping units that would
  /// overshoot. Returns the chosen units in selection order.
  private func selectUnits(
    _ units: [Range<Int>], target: Int, using generator: inout some RandomNumberGenerator
  ) -> [Range<Int>] {
    var order = Array(units.indices)
    var chosen: [Range<Int>] = []
    var count = 0
    var index = 0
    while index < order.count, count < target {
      let pick = index + generator.nextIndex(below: order.count - index)
      order.swapAt(index, pick)
      let unit = units[order[index]]
      if count + unit.count <= target {
        chosen.append(unit)
        count += unit.count
      }
      index += 1
    }
    return chosen
  }

  /// Picks spans of whole words: a length from the truncated geometric distribution, an anchor word
  /// drawn uniformly among unselected words, then the following words while they are unselected,
  /// adjacent in the sequence, and fit in the remaining count. Returns one range per span.
  private func selectSpans(
    _ units: [Range<Int>], target: Int, using generator: inout some RandomNumberGenerator
  ) -> [Range<Int>] {
    var taken = [Bool](repeating: false, count: units.count)
    var spans: [Range<Int>] = []
    var count = 0
    var attempts = 0
    let attemptLimit = 10 * units.count + 100
    while count < target, attempts < attemptLimit {
      attempts += 1
      let length = sampleSpanLength(using: &generator)
      let anchor = generator.nextIndex(below: units.count)
      guard !taken[anchor], count + units[anchor].count <= target else { continue }
      var last = anchor
      taken[anchor] = true
      count += units[anchor].count
      while last - anchor + 1 < length, last + 1 < units.count {
        let next = units[last + 1]
        guard !taken[last + 1], next.lowerBound == units[last].upperBound, count + next.count <= target else { break }
        last += 1
        taken[last] = true
        count += next.count
      }
      spans.append(units[anchor].lowerBound..<units[last].upperBound)
    }
    return spans
  }

  /// Draws a span length in words, from 1 through the configured maximum.
  func sampleSpanLength(using generator: inout some RandomNumberGenerator) -> Int {
    let draw = generator.nextUnitDouble()
    for (index, bound) in spanLengthCumulative.enumerated() where draw < bound {
      return index + 1
    }
    return spanLengthCumulative.count
  }

  /// Returns the cumulative distribution of lengths 1...maxLength with P(l) ∝ p (1 - p)^(l - 1).
  static func truncatedGeometricCumulative(p: Double, maxLength: Int) -> [Double] {
    var weights: [Double] = []
    var weight = p
    for _ in 1...maxLength {
      weights.append(weight)
      weight *= 1 - p
    }
    let total = weights.reduce(0, +)
    var cumulative: [Double] = []
    var sum = 0.0
    for weight in weights {
      sum += weight / total
      cumulative.append(sum)
    }
    cumulative[cumulative.count - 1] = 1
    return cumulative
  }

  // MARK: - Replacement

  private func applyReplacements(
    _ selected: [Range<Int>], to output: inout MaskedSequence, using generator: inout some RandomNumberGenerator
  ) {
    let perUnit = configuration.replacementScope == .perUnit && configuration.strategy != .token
    for unit in selected {
      var unitDraw = perUnit ? generator.nextUnitDouble() : 0
      for position in unit {
        if !perUnit { unitDraw = generator.nextUnitDouble() }
        let original = output.inputIDs[position]
        output.labels[position] = original
        if unitDraw < configuration.maskProbability {
          output.inputIDs[position] = specialTokens.mask
        } else if unitDraw < configuration.maskProbability + configuration.randomTokenProbability {
          output.inputIDs[position] = randomOrdinaryToken(using: &generator)
        }
        output.maskedPositions.append(Int32(position))
      }
    }
    output.maskedPositions.sort()
  }

  /// Draws a token id uniformly among the non-special ids.
  private func randomOrdinaryToken(using generator: inout some RandomNumberGenerator) -> Int32 {
    while true {
      let id = generator.nextIndex(below: vocabularySize)
      if !isSpecial[id] { return Int32(id) }
    }
  }
}
