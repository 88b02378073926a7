import Foundation

// MARK: - Loader

/// Delivers masked pretraining batches from a prepared corpus, epoch after epoch.
///
/// With `prefetchBatches > 0` a background thread builds batches into a bounded queue. Each batch
/// carries the state after it, and `state` reflects the batches handed out by `next()`, never those
/// still waiting in the queue, so saving `state` at any point resumes exactly.
public final class PretrainingLoader {
  public let configuration: LoaderConfiguration
  public let corpus: PretrainingCorpus
  private let builder: BatchBuilder
  private let producer: BatchProducer?
  private var synchronousCursor: BatchCursor?
  /// Position after the last batch returned by `next()`.
  public private(set) var state: LoaderState

  /// Creates a loader at the start of epoch 0, or at `resumeState`.
  ///
  /// - Throws: `LoaderError` for invalid settings, a corpus too small for one batch, or a state saved
  ///   with another corpus or other settings.
  public init(corpus: PretrainingCorpus, configuration: LoaderConfiguration, resumeState: LoaderState? = nil) throws(LoaderError) {
    try configuration.validate()
    let masker: TokenMasker
    do {
      masker = try TokenMasker(configuration: configuration.masking, vocabulary: corpus.manifest.vocabulary)
    } catch {
      throw .masking(error)
    }

    let plan = PackingPlan(corpus: corpus, configuration: configuration.packing, seed: configuration.seed)
    let fingerprint = PretrainingLoader.fingerprint(corpus: corpus, configuration: configuration)
    let builder = BatchBuilder(
      corpus: corpus, plan: plan, configuration: configuration, masker: masker, fingerprint: fingerprint)
    guard builder.batchesPerEpoch > 0 else {
      throw .emptyEpoch(
        sequences: plan.instances.count, worldSize: configuration.worldSize, batchSize: configuration.batchSize)
    }

    let start: LoaderState
    if let resumeState {
      try PretrainingLoader.check(resumeState, against: builder)
      start = resumeState
    } else {
      start = builder.startState(epoch: 0, batchesDelivered: 0)
    }

    self.configuration = configuration
    self.corpus = corpus
    self.builder = builder
    state = start
    if configuration.prefetchBatches > 0 {
      producer = BatchProducer(builder: builder, start: start, capacity: configuration.prefetchBatches)
    } else {
      producer = nil
      synchronousCursor = BatchCursor(builder: builder, state: start)
    }
  }

  deinit {
    producer?.stop()
  }

  /// Number of packed sequences in the corpus, over all ranks.
  public var sequenceCount: Int { builder.plan.instances.count }

  /// Returns the shard and token range behind packed sequence `id`, as listed in `sequenceIDs`.
  public func plannedSequence(_ id: Int) -> (shard: Int, tokenStart: Int, tokenEnd: Int, segmentBStart: Int) {
    let instance = builder.plan.instances[id]
    return (instance.shard, instance.tokenStart, instance.tokenEnd, instance.segmentBStart)
  }

  /// Batches per epoch for this rank.
  public var batchesPerEpoch: Int { builder.batchesPerEpoch }

  /// Returns the next batch, moving to the next epoch when one ends, or nil after the configured
  /// number of epochs.
  public func next() -> PretrainingBatch? {
    let batch: PretrainingBatch?
    if let producer {
      batch = producer.next()
    } else {
      batch = synchronousCursor?.next()
    }
    if let batch { state = batch.stateAfter }
    return batch
  }

  // MARK: - Fingerprint

  private static func fingerprint(corpus: PretrainingCorpus, configuration: LoaderConfiguration) -> String {
    var relevant = configuration
    relevant.prefetchBatches = 0
    relevant.epochs = nil
    var text = corpus.manifest.vocabulary.sha256
    for shard in corpus.manifest.shards {
      text += "\n" + shard.file + " " + shard.sha256
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let data = try? encoder.encode(relevant) {
      text += "\n" + String(decoding: data, as: UTF8.self)
    }
    return SHA256.hexDigest(of: Array(text.utf8))
  }

  private static func check(_ state: LoaderState, against builder: BatchBuilder) throws(LoaderError) {
    guard state.formatVersion == LoaderState.currentFormatVersion else {
      throw .stateMismatch(reason: "state format version \(state.formatVersion) is not \(LoaderState.currentFormatVersion)")
    }
    guard state.fingerprint == builder.fingerprint else {
      throw .stateMismatch(
        reason: "it was saved with another corpus or other loader settings (fingerprint differs); "
          + "resume with the same corpus and configuration, or start a new run")
    }
    guard state.seed == builder.configuration.seed else {
      throw .stateMismatch(reason: "its seed \(state.seed) differs from the configured seed \(builder.configuration.seed)")
    }
    guard state.epoch >= 0, state.position >= 0, state.position <= builder.sequencesPerRank, state.batchesDelivered >= 0 else {
      throw .stateMismatch(
        reason: "epoch \(state.epoch) and position \(state.position) are outside this corpus's "
          + "\(builder.sequencesPerRank) sequences per epoch")
    }
  }
}

// MARK: - Cursor

/// Walks the batches from a state onward, on one thread.
struct BatchCursor {
  let builder: BatchBuilder
  private var state: LoaderState
  private var order: [Int32]

  init(builder: BatchBuilder, state: LoaderState) {
    self.builder = builder
    self.state = state
    order = builder.epochOrder(for: state)
  }

  mutating func next() -> PretrainingBatch? {
    while true {
      if let epochs = builder.configuration.epochs, state.epoch >= epochs { return nil }
      if let batch = builder.makeBatch(order: order, state: state) {
        state = batch.stateAfter
        return batch
      }
      state = builder.startState(epoch: state.epoch + 1, batchesDelivered: state.batchesDelivered)
      order = builder.epochOrder(for: state)
    }
  }
}

// MARK: - Prefetching

/// Runs a `BatchCursor` on a background thread into a bounded queue.
final class BatchProducer: @unchecked Sendable {
  private let queue: BlockingQueue<PretrainingBatch>
  private var thread: JoinableThread?

  init(builder: BatchBuilder, start: LoaderState, capacity: Int) {
    let queue = BlockingQueue<PretrainingBatch>(capacity: capacity)
    self.queue = queue
    thread = JoinableThread(name: "shenzhou-loader-prefetch") {
      var cursor = BatchCursor(builder: builder, state: start)
      while let batch = cursor.next() {
        guard queue.push(batch) else { return }
      }
      queue.close()
    }
  }

  func next() -> PretrainingBatch? {
    queue.pop()
  }

  /// Stops the thread and waits for it.
  func stop() {
    queue.close()
    thread?.join()
    thread = nil
  }
}
