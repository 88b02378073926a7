// MARK: - Loader state

/// Position of a `PretrainingLoader`, saved with a checkpoint so that a resumed run receives exactly the
/// batches an uninterrupted run would have seen.
///
/// Every random draw is derived from the seed and counters: the epoch's shuffle from
/// `shuffleGenerator`, which is seeded from (seed, epoch), and each sequence's masks from
/// (seed, epoch, sequence id). The state therefore needs no generator positions beyond these.
public struct LoaderState: Codable, Equatable, Sendable {
  public static let currentFormatVersion = 1

  public var formatVersion: Int
  public var epoch: Int
  /// Sequences of this epoch already delivered to this rank.
  public var position: Int
  /// Batches delivered since the first epoch.
  public var batchesDelivered: Int
  public var seed: UInt64
  /// Generator state at the start of this epoch's shuffle.
  public var shuffleGenerator: Xoshiro256StarStar
  /// SHA-256 over the shard checksums and every setting that changes which batches come out.
  public var fingerprint: String

  public init(
    epoch: Int, position: Int, batchesDelivered: Int, seed: UInt64, shuffleGenerator: Xoshiro256StarStar,
    fingerprint: String
  ) {
    formatVersion = LoaderState.currentFormatVersion
    self.epoch = epoch
    self.position = position
    self.batchesDelivered = batchesDelivered
    self.seed = seed
    self.shuffleGenerator = shuffleGenerator
    self.fingerprint = fingerprint
  }

  /// Returns the generator that shuffles `epoch` for `seed`.
  static func shuffleGenerator(seed: UInt64, epoch: Int) -> Xoshiro256StarStar {
    Xoshiro256StarStar(seed: seed, streams: 0x5348_5546, UInt64(truncatingIfNeeded: epoch))
  }
}
