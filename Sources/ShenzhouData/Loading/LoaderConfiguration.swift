// MARK: - Loader configuration

/// Settings of a `PretrainingLoader`.
public struct LoaderConfiguration: Codable, Equatable, Sendable {
  public var packing: PackingConfiguration
  public var masking: MaskingConfiguration
  public var batchSize: Int
  /// Base seed of the A/B splits, the epoch shuffles and the masks.
  public var seed: UInt64
  /// Visits the packed sequences in a new random order each epoch. When false, corpus order is kept.
  public var shuffles: Bool
  /// Drops each epoch's last batch when it would be smaller than `batchSize`.
  public var dropsLastBatch: Bool
  /// Pads each batch to its longest sequence instead of `maxSequenceLength`.
  public var padsToLongest: Bool
  /// Batches built ahead on the background thread; 0 builds each batch on the calling thread.
  public var prefetchBatches: Int
  /// Number of epochs after which `next()` returns nil, or nil to run without end.
  public var epochs: Int?
  /// This process's index among `worldSize` data-parallel processes. Each process gets every
  /// `worldSize`-th sequence of the shuffled order, and all get the same number of sequences.
  public var rank: Int
  public var worldSize: Int

  public init(
    packing: PackingConfiguration = PackingConfiguration(), masking: MaskingConfiguration = MaskingConfiguration(),
    batchSize: Int = 32, seed: UInt64 = 42, shuffles: Bool = true, dropsLastBatch: Bool = true,
    padsToLongest: Bool = false, prefetchBatches: Int = 4, epochs: Int? = nil, rank: Int = 0, worldSize: Int = 1
  ) {
    self.packing = packing
    self.masking = masking
    self.batchSize = batchSize
    self.seed = seed
    self.shuffles = shuffles
    self.dropsLastBatch = dropsLastBatch
    self.padsToLongest = padsToLongest
    self.prefetchBatches = prefetchBatches
    self.epochs = epochs
    self.rank = rank
    self.worldSize = worldSize
  }

  func validate() throws(LoaderError) {
    func check(_ valid: Bool, _ name: String, _ value: String, _ reason: String) throws(LoaderError) {
      if !valid { throw .invalidOption(name: name, value: value, reason: reason) }
    }
    let minimumLength = packing.segmentLayout == .pair ? 4 : 3
    try check(
      packing.maxSequenceLength >= minimumLength, "maxSequenceLength", "\(packing.maxSequenceLength)",
      "use at least \(minimumLength) so that one text token fits beside the special tokens")
    try check(batchSize >= 1, "batchSize", "\(batchSize)", "use at least 1")
    try check(prefetchBatches >= 0, "prefetchBatches", "\(prefetchBatches)", "use 0 or more")
    try check((epochs ?? 1) >= 1, "epochs", "\(epochs ?? 0)", "use at least 1, or nil for no limit")
    try check(worldSize >= 1, "worldSize", "\(worldSize)", "use at least 1")
    try check(rank >= 0 && rank < worldSize, "rank", "\(rank)", "use a rank in 0..<\(worldSize)")
    do {
      try masking.validate()
    } catch {
      throw .masking(error)
    }
  }
}

/// Error raised by the loader.
public enum LoaderError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidOption(name: String, value: String, reason: String)
  case masking(MaskingError)
  case corpus(ShardError)
  case emptyEpoch(sequences: Int, worldSize: Int, batchSize: Int)
  case stateMismatch(reason: String)

  public var description: String {
    switch self {
    case .invalidOption(let name, let value, let reason):
      return "invalid loader setting \(name) = \(value): \(reason)"
    case .masking(let error):
      return error.description
    case .corpus(let error):
      return error.description
    case .emptyEpoch(let sequences, let worldSize, let batchSize):
      return "the corpus packs into \(sequences) sequences, too few for one batch of \(batchSize) on each of "
        + "\(worldSize) processes; use a larger corpus, a smaller batch, or keep the last partial batch"
    case .stateMismatch(let reason):
      return "cannot resume from the saved loader state: \(reason)"
    }
  }
}
