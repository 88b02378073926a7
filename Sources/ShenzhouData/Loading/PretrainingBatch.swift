// MARK: - Batch

/// One batch of masked, packed sequences as flat row-major arrays of shape `[batchSize, sequenceLength]`.
public struct PretrainingBatch: Equatable, Sendable {
  public var batchSize: Int
  public var sequenceLength: Int
  public var inputIDs: [Int32]
  /// 1 for real tokens, 0 for padding.
  public var attentionMask: [Int32]
  public var tokenTypeIDs: [Int32]
  /// Original id at masked positions, -100 elsewhere, as PyTorch's cross-entropy expects.
  public var labels: [Int64]
  /// Flat indices `row × sequenceLength + column` of the masked positions, ascending.
  public var maskedPositions: [Int64]
  /// Packed-sequence ids of the rows, stable across epochs.
  public var sequenceIDs: [Int]
  public var epoch: Int
  /// Index of this batch within its epoch.
  public var indexInEpoch: Int
  /// Loader state after this batch; saving it resumes with the next batch.
  public var stateAfter: LoaderState

  /// `[batchSize, sequenceLength]`.
  public var shape: [Int] { [batchSize, sequenceLength] }
}

// MARK: - Batch builder

/// Builds batches from the packing plan: epoch order, sequence assembly and masking. Holds no
/// mutable state, so the prefetch thread and the caller can share it.
struct BatchBuilder: Sendable {
  let corpus: PretrainingCorpus
  let plan: PackingPlan
  let configuration: LoaderConfiguration
  let masker: TokenMasker
  let fingerprint: String

  /// Sequences each rank gets per epoch.
  var sequencesPerRank: Int {
    plan.instances.count / configuration.worldSize
  }

  var batchesPerEpoch: Int {
    let size = configuration.batchSize
    return configuration.dropsLastBatch ? sequencesPerRank / size : (sequencesPerRank + size - 1) / size
  }

  /// Returns the packed-sequence ids of this rank in the order of the epoch that `state` is in.
  func epochOrder(for state: LoaderState) -> [Int32] {
    let count = plan.instances.count
    var order = (0..<count).map { Int32($0) }
    if configuration.shuffles {
      var generator = state.shuffleGenerator
      if count > 1 {
        for index in stride(from: count - 1, to: 0, by: -1) {
          order.swapAt(index, generator.nextIndex(below: index + 1))
        }
      }
    }
    let world = configuration.worldSize
    guard world > 1 else { return order }
    return (0..<sequencesPerRank).map { order[$0 * world + configuration.rank] }
  }

  /// Returns the state at the start of `epoch`.
  func startState(epoch: Int, batchesDelivered: Int) -> LoaderState {
    LoaderState(
      epoch: epoch, position: 0, batchesDelivered: batchesDelivered, seed: configuration.seed,
      shuffleGenerator: LoaderState.shuffleGenerator(seed: configuration.seed, epoch: epoch),
      fingerprint: fingerprint)
  }

  /// Builds the batch that starts at `state` and returns it, or nil when the epoch has no batch left.
  func makeBatch(order: [Int32], state: LoaderState) -> PretrainingBatch? {
    let start = state.position
    let available = order.count - start
    guard available > 0, !(configuration.dropsLastBatch && available < configuration.batchSize) else { return nil }

    let rows = min(configuration.batchSize, available)
    let sequenceIDs = (0..<rows).map { Int(order[start + $0]) }
    let sequences = sequenceIDs.map { assemble(plan.instances[$0]) }
    let length =
      configuration.padsToLongest
      ? sequences.map(\.tokenIDs.count).max() ?? 0 : configuration.packing.maxSequenceLength
    let specials = corpus.manifest.vocabulary.specialTokens
    var batch = PretrainingBatch(
      batchSize: rows, sequenceLength: length,
      inputIDs: [Int32](repeating: specials.padding, count: rows * length),
      attentionMask: [Int32](repeating: 0, count: rows * length),
      tokenTypeIDs: [Int32](repeating: 0, count: rows * length),
      labels: [Int64](repeating: Int64(TokenMasker.ignoredLabel), count: rows * length), maskedPositions: [],
      sequenceIDs: sequenceIDs, epoch: state.epoch, indexInEpoch: start / configuration.batchSize, stateAfter: state)

    for (row, sequence) in sequences.enumerated() {
      let masked = masker.mask(
        tokenIDs: sequence.tokenIDs, wordStarts: sequence.wordStarts, seed: configuration.seed ^ 0x4d41_534b,
        epoch: state.epoch, sampleIndex: sequenceIDs[row])
      let rowStart = row * length
      for column in sequence.tokenIDs.indices {
        batch.inputIDs[rowStart + column] = masked.inputIDs[column]
        batch.attentionMask[rowStart + column] = 1
        batch.tokenTypeIDs[rowStart + column] = sequence.tokenTypes[column]
        batch.labels[rowStart + column] = Int64(masked.labels[column])
      }
      for position in masked.maskedPositions {
        batch.maskedPositions.append(Int64(rowStart) + Int64(position))
      }
    }

    var next = state
    next.position = start + rows
    next.batchesDelivered += 1
    batch.stateAfter = next
    return batch
  }

  // MARK: - Sequence assembly

  struct AssembledSequence {
    var tokenIDs: [Int32] = []
    var wordStarts: [Bool] = []
    var tokenTypes: [Int32] = []
  }

  /// Lays out `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`, with a [SEP] before each document that
  /// starts inside a segment.
  func assemble(_ instance: PackedInstance) -> AssembledSequence {
    let shard = corpus.shards[instance.shard]
    let specials = corpus.manifest.vocabulary.specialTokens
    var sequence = AssembledSequence()
    sequence.tokenIDs.reserveCapacity(configuration.packing.maxSequenceLength)

    func appendSpecial(_ id: Int32, type: Int32) {
      sequence.tokenIDs.append(id)
      sequence.wordStarts.append(true)
      sequence.tokenTypes.append(type)
    }
    func appendSegment(_ range: Range<Int>, type: Int32) {
      var cursor = range.lowerBound
      for documentStart in shard.documentStarts(inside: range) + [range.upperBound] {
        shard.appendTokens(cursor..<documentStart, to: &sequence.tokenIDs)
        shard.appendWordStarts(cursor..<documentStart, to: &sequence.wordStarts)
        sequence.tokenTypes.append(contentsOf: repeatElement(type, count: documentStart - cursor))
        if documentStart < range.upperBound { appendSpecial(specials.separator, type: type) }
        cursor = documentStart
      }
    }

    appendSpecial(specials.classification, type: 0)
    appendSegment(instance.tokenStart..<instance.segmentBStart, type: 0)
    appendSpecial(specials.separator, type: 0)
    if instance.segmentBStart < instance.tokenEnd {
      appendSegment(instance.segmentBStart..<instance.tokenEnd, type: 1)
      appendSpecial(specials.separator, type: 1)
    }
    return sequence
  }
}
