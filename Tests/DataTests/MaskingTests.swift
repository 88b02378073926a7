import Foundation
import Testing

@testable import ShenzhouData

@Suite struct MaskingTests {
  static let vocabulary = VocabularyDescription(
    size: 21_128, sha256: String(repeating: "0", count: 64), specialTokens: .bertChinese)

  /// Returns a sequence of `[CLS] text [SEP]` with ordinary ids and word starts drawn from `generator`,
  /// where words have 1 to `maxWordLength` tokens.
  static func sequence(
    length: Int, maxWordLength: Int = 1, using generator: inout Xoshiro256StarStar
  ) -> (ids: [Int32], wordStarts: [Bool]) {
    var ids: [Int32] = [SpecialTokenIDs.bertChinese.classification]
    var starts = [true]
    while ids.count < length - 1 {
      let wordLength = min(1 + generator.nextIndex(below: maxWordLength), length - 1 - ids.count)
      for piece in 0..<wordLength {
        ids.append(Int32(670 + generator.nextIndex(below: 20_000)))
        starts.append(piece == 0)
      }
    }
    ids.append(SpecialTokenIDs.bertChinese.separator)
    starts.append(true)
    return (ids, starts)
  }

  static func masker(_ configuration: MaskingConfiguration) throws -> TokenMasker {
    try TokenMasker(configuration: configuration, vocabulary: vocabulary)
  }

  // MARK: - Token masking

  @Test func tokenMaskingSelectsRoundedRatio() throws {
    let masker = try Self.masker(MaskingConfiguration())
    var generator = Xoshiro256StarStar(seed: 1)
    var selected = 0
    var maskable = 0
    for index in 0..<2_000 {
      let length = 20 + generator.nextIndex(below: 200)
      let (ids, starts) = Self.sequence(length: length, using: &generator)
      let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 9, epoch: 0, sampleIndex: index)
      let expected = max(1, Int((Double(length - 2) * 0.15).rounded()))
      #expect(masked.maskedPositions.count == expected)
      selected += masked.maskedPositions.count
      maskable += length - 2
    }
    #expect(abs(Double(selected) / Double(maskable) - 0.15) < 0.003)
  }

  @Test func replacementSplitIs80_10_10() throws {
    let masker = try Self.masker(MaskingConfiguration(ratio: .fixed(0.3)))
    var generator = Xoshiro256StarStar(seed: 2)
    var maskCount = 0
    var keptCount = 0
    var randomCount = 0
    for index in 0..<2_000 {
      let (ids, starts) = Self.sequence(length: 128, using: &generator)
      let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 4, epoch: 0, sampleIndex: index)
      for position in masked.maskedPositions.map(Int.init) {
        #expect(masked.labels[position] == ids[position])
        if masked.inputIDs[position] == SpecialTokenIDs.bertChinese.mask {
          maskCount += 1
        } else if masked.inputIDs[position] == ids[position] {
          keptCount += 1
        } else {
          randomCount += 1
        }
      }
    }
    let total = Double(maskCount + keptCount + randomCount)
    #expect(total > 70_000)
    #expect(abs(Double(maskCount) / total - 0.8) < 0.006)
    #expect(abs(Double(keptCount) / total - 0.1) < 0.005)
    #expect(abs(Double(randomCount) / total - 0.1) < 0.005)
  }

  @Test func labelsMarkExactlyTheMaskedPositions() throws {
    let masker = try Self.masker(MaskingConfiguration())
    var generator = Xoshiro256StarStar(seed: 3)
    let (ids, starts) = Self.sequence(length: 300, using: &generator)
    let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 1, epoch: 0, sampleIndex: 0)
    let labelled = masked.labels.indices.filter { masked.labels[$0] != TokenMasker.ignoredLabel }
    #expect(labelled.map { Int32($0) } == masked.maskedPositions)
    for position in ids.indices where masked.labels[position] == TokenMasker.ignoredLabel {
      #expect(masked.inputIDs[position] == ids[position])
    }
  }

  @Test func specialTokensAreNeverMasked() throws {
    let specials = SpecialTokenIDs.bertChinese
    let configurations = [
      MaskingConfiguration(ratio: .fixed(1), maskProbability: 0, randomTokenProbability: 1),
      MaskingConfiguration(strategy: .wholeWord, ratio: .fixed(0.9)),
      MaskingConfiguration(strategy: .span(p: 0.2, maxLength: 10), ratio: .fixed(0.9)),
    ]
    var generator = Xoshiro256StarStar(seed: 4)
    for configuration in configurations {
      let masker = try Self.masker(configuration)
      for index in 0..<300 {
        var (ids, starts) = Self.sequence(length: 64, maxWordLength: 3, using: &generator)
        for special in specials.all {
          let position = 1 + generator.nextIndex(below: 60)
          ids[position] = special
          starts[position] = generator.nextIndex(below: 2) == 0
        }
        ids += [specials.padding, specials.padding]
        starts += [true, true]
        let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 5, epoch: 1, sampleIndex: index)
        for position in ids.indices where specials.all.contains(ids[position]) {
          #expect(masked.labels[position] == TokenMasker.ignoredLabel)
          #expect(masked.inputIDs[position] == ids[position])
        }
        for position in masked.maskedPositions.map(Int.init) where masked.inputIDs[position] != specials.mask {
          #expect(!specials.all.contains(masked.inputIDs[position]))
        }
      }
    }
  }

  @Test func sequenceOfOnlySpecialsIsUnchanged() throws {
    let masker = try Self.masker(MaskingConfiguration())
    let ids: [Int32] = [101, 102, 0, 0]
    let masked = masker.mask(tokenIDs: ids, wordStarts: [true, true, true, true], seed: 1, epoch: 0, sampleIndex: 0)
    #expect(masked.inputIDs == ids)
    #expect(masked.maskedPositions.isEmpty)
  }

  // MARK: - Determinism

  @Test func sameSeedEpochAndIndexRepeat() throws {
    let masker = try Self.masker(MaskingConfiguration(strategy: .span(p: 0.2, maxLength: 10), ratio: .uniform(lower: 0.1, upper: 0.4)))
    var generator = Xoshiro256StarStar(seed: 6)
    let (ids, starts) = Self.sequence(length: 256, maxWordLength: 3, using: &generator)
    let first = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 77, epoch: 3, sampleIndex: 12)
    let again = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 77, epoch: 3, sampleIndex: 12)
    let nextEpoch = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 77, epoch: 4, sampleIndex: 12)
    let otherSample = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 77, epoch: 3, sampleIndex: 13)
    let otherSeed = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 78, epoch: 3, sampleIndex: 12)
    #expect(first == again)
    #expect(first.maskedPositions != nextEpoch.maskedPositions)
    #expect(first.maskedPositions != otherSample.maskedPositions)
    #expect(first.maskedPositions != otherSeed.maskedPositions)
  }

  // MARK: - Whole words

  @Test func wholeWordMaskingSelectsWholeWords() throws {
    for scope in [ReplacementScope.perToken, .perUnit] {
      let masker = try Self.masker(MaskingConfiguration(strategy: .wholeWord, replacementScope: scope))
      var generator = Xoshiro256StarStar(seed: 7)
      var selected = 0
      var maskable = 0
      var partiallyMaskedWords = 0
      var mixedDecisionWords = 0
      var multiPieceWords = 0
      for index in 0..<1_000 {
        let (ids, starts) = Self.sequence(length: 200, maxWordLength: 4, using: &generator)
        let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 8, epoch: 0, sampleIndex: index)
        selected += masked.maskedPositions.count
        maskable += ids.count - 2
        var wordStart = 1
        while wordStart < ids.count - 1 {
          var wordEnd = wordStart + 1
          while wordEnd < ids.count - 1, !starts[wordEnd] { wordEnd += 1 }
          let labelled = (wordStart..<wordEnd).filter { masked.labels[$0] != TokenMasker.ignoredLabel }
          if !labelled.isEmpty, labelled.count != wordEnd - wordStart { partiallyMaskedWords += 1 }
          if labelled.count > 1 {
            multiPieceWords += 1
            let maskTokens = labelled.filter { masked.inputIDs[$0] == SpecialTokenIDs.bertChinese.mask }.count
            if maskTokens != 0, maskTokens != labelled.count { mixedDecisionWords += 1 }
          }
          wordStart = wordEnd
        }
      }
      #expect(partiallyMaskedWords == 0)
      #expect(multiPieceWords > 1_000)
      if scope == .perUnit {
        #expect(mixedDecisionWords == 0)
      } else {
        #expect(mixedDecisionWords > 100)
      }
      // Each sequence has 198 maskable tokens, so the target is round(29.7) = 30 tokens. Words that
      // would overshoot are skipped, which leaves some sequences slightly short of it.
      #expect(selected <= 30 * 1_000)
      #expect(Double(selected) / Double(30 * 1_000) > 0.97, "selected \(selected) of \(maskable)")
    }
  }

  // MARK: - Spans

  @Test func spanLengthsFollowTruncatedGeometric() throws {
    let masker = try Self.masker(MaskingConfiguration(strategy: .span(p: 0.2, maxLength: 10)))
    var generator = Xoshiro256StarStar(seed: 9)
    var histogram = [Int](repeating: 0, count: 11)
    let draws = 100_000
    for _ in 0..<draws {
      histogram[masker.sampleSpanLength(using: &generator)] += 1
    }
    #expect(histogram[0] == 0)
    let mean = Double(histogram.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(draws)
    #expect(abs(mean - 3.797) < 0.03, "mean span length \(mean)")
    #expect(abs(Double(histogram[1]) / Double(draws) - 0.2 / (1 - pow(0.8, 10))) < 0.005)
  }

  @Test func spanMaskingMasksRunsOfWholeWords() throws {
    let masker = try Self.masker(MaskingConfiguration(strategy: .span(p: 0.2, maxLength: 10)))
    var generator = Xoshiro256StarStar(seed: 10)
    var runLengths: [Int] = []
    var selected = 0
    var maskable = 0
    for index in 0..<500 {
      let (ids, starts) = Self.sequence(length: 512, using: &generator)
      let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 11, epoch: 0, sampleIndex: index)
      selected += masked.maskedPositions.count
      maskable += ids.count - 2
      var run = 0
      for position in ids.indices {
        if masked.labels[position] != TokenMasker.ignoredLabel {
          run += 1
        } else if run > 0 {
          runLengths.append(run)
          run = 0
        }
      }
    }
    let meanRun = Double(runLengths.reduce(0, +)) / Double(runLengths.count)
    // Adjacent spans merge into longer runs and the budget cuts the last span short, so the observed
    // mean sits near, not at, the sampler's 3.8.
    #expect(meanRun > 3.2, "mean masked run \(meanRun)")
    #expect(meanRun < 4.8, "mean masked run \(meanRun)")
    // Each sequence has 510 maskable tokens, so the target is round(76.5) = 77 tokens.
    #expect(selected <= 77 * 500)
    #expect(Double(selected) / Double(77 * 500) > 0.98, "selected \(selected) of \(maskable)")
  }

  @Test func spansNeverSplitWords() throws {
    let masker = try Self.masker(MaskingConfiguration(strategy: .span(p: 0.3, maxLength: 5), ratio: .fixed(0.3)))
    var generator = Xoshiro256StarStar(seed: 12)
    for index in 0..<300 {
      let (ids, starts) = Self.sequence(length: 160, maxWordLength: 3, using: &generator)
      let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 13, epoch: 0, sampleIndex: index)
      for position in 1..<(ids.count - 1) where !starts[position] {
        let previousLabelled = masked.labels[position - 1] != TokenMasker.ignoredLabel
        let labelled = masked.labels[position] != TokenMasker.ignoredLabel
        #expect(previousLabelled == labelled)
      }
    }
  }

  // MARK: - Ratio options

  @Test func uniformRatioIsDrawnPerSequence() throws {
    let masker = try Self.masker(MaskingConfiguration(ratio: .uniform(lower: 0.1, upper: 0.3)))
    var generator = Xoshiro256StarStar(seed: 14)
    var ratios: [Double] = []
    for index in 0..<3_000 {
      let (ids, starts) = Self.sequence(length: 402, using: &generator)
      let masked = masker.mask(tokenIDs: ids, wordStarts: starts, seed: 15, epoch: 0, sampleIndex: index)
      ratios.append(Double(masked.maskedPositions.count) / 400)
    }
    let mean = ratios.reduce(0, +) / Double(ratios.count)
    let variance = ratios.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ratios.count)
    #expect(abs(mean - 0.2) < 0.005)
    #expect(abs(variance.squareRoot() - 0.2 / 12.0.squareRoot()) < 0.004)
    #expect(ratios.min() ?? 0 >= 0.0975)
    #expect(ratios.max() ?? 1 <= 0.3025)
  }

  @Test func maxPredictionsCapsSelection() throws {
    let masker = try Self.masker(MaskingConfiguration(ratio: .fixed(0.5), maxPredictions: 20))
    var generator = Xoshiro256StarStar(seed: 16)
    let (ids, starts) = Self.sequence(length: 512, using: &generator)
    #expect(masker.mask(tokenIDs: ids, wordStarts: starts, seed: 1, epoch: 0, sampleIndex: 0).maskedPositions.count == 20)
  }

  @Test func invalidSettingsAreRejected() {
    let invalid = [
      MaskingConfiguration(ratio: .fixed(0)),
      MaskingConfiguration(ratio: .fixed(1.5)),
      MaskingConfiguration(ratio: .uniform(lower: 0.3, upper: 0.1)),
      MaskingConfiguration(strategy: .span(p: 0, maxLength: 10)),
      MaskingConfiguration(strategy: .span(p: 0.2, maxLength: 0)),
      MaskingConfiguration(maskProbability: 0.9, randomTokenProbability: 0.2),
      MaskingConfiguration(maxPredictions: 0),
    ]
    for configuration in invalid {
      #expect(throws: MaskingError.self) { try Self.masker(configuration) }
    }
    let tinyVocabulary = VocabularyDescription(size: 50, sha256: "", specialTokens: .bertChinese)
    #expect(throws: MaskingError.self) {
      try TokenMasker(configuration: MaskingConfiguration(), vocabulary: tinyVocabulary)
    }
  }
}
