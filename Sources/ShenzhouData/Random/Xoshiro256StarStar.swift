// MARK: - Xoshiro256**

/// Xoshiro256** generator (Blackman and Vigna, 2018): fast, 256 bits of state, and saveable.
///
/// The standard library's `SystemRandomNumberGenerator` cannot be seeded, and the output of its
/// seeded generators is not specified across Swift versions, so masking and shuffling use this one.
public struct Xoshiro256StarStar: RandomNumberGenerator, Codable, Equatable, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// The four state words. Saving them and restoring with `init(state:)` resumes the same stream.
  public var state: [UInt64] { [s0, s1, s2, s3] }

  /// Seeds the state by running SplitMix64 from `seed`, as the generator's authors recommend.
  public init(seed: UInt64) {
    var expander = SplitMix64(seed: seed)
    s0 = expander.next()
    s1 = expander.next()
    s2 = expander.next()
    s3 = expander.next()
  }

  /// Derives an independent stream for one use of a base seed, such as the masking of one sample in
  /// one epoch. Equal inputs give the same stream on every machine and thread count.
  public init(seed: UInt64, streams: UInt64...) {
    var mixed = SplitMix64.mix(seed ^ 0x5348_454e_5a48_4f55)
    for stream in streams {
      mixed = SplitMix64.mix(mixed &+ SplitMix64.mix(stream &+ 0x9e37_79b9_7f4a_7c15))
    }
    self.init(seed: mixed)
  }

  /// Restores a generator from saved state words.
  ///
  /// - Throws: `RandomStateError.invalidState` unless there are four words and not all are zero.
  public init(state: [UInt64]) throws {
    guard state.count == 4, state.contains(where: { $0 != 0 }) else {
      throw RandomStateError.invalidState(state)
    }
    (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
  }

  private enum CodingKeys: String, CodingKey {
    case state
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(state: container.decode([UInt64].self, forKey: .state))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(state, forKey: .state)
  }

  @inline(__always)
  public mutating func next() -> UInt64 {
    let result = (s1 &* 5).rotatedLeft(7) &* 9
    let shifted = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= shifted
    s3 = s3.rotatedLeft(45)
    return result
  }
}

/// Error for a saved generator state that cannot be restored.
public enum RandomStateError: Error, Equatable, CustomStringConvertible {
  case invalidState([UInt64])

  public var description: String {
    switch self {
    case .invalidState(let words):
      return "invalid Xoshiro256** state \(words): expected 4 words, not all zero; "
        + "restore a state saved by this library"
    }
  }
}

// MARK: - Sampling helpers

extension RandomNumberGenerator {
  /// Returns a uniform double in [0, 1) built from the top 53 bits of one draw.
  @inline(__always)
  public mutating func nextUnitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Returns a uniform integer in `0..<bound` by Lemire's multiply-shift with rejection.
  ///
  /// The standard library's `Int.random(in:using:)` works too, but its algorithm is not
  /// specified, and the data pipeline needs the same draws on every Swift version.
  @inline(__always)
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0, "nextIndex(below:) needs a positive bound")
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold {
        product = next().multipliedFullWidth(by: range)
      }
    }
    return Int(product.high)
  }
}

extension UInt64 {
  @inline(__always)
  fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
    (self << count) | (self >> (64 - count))
  }
}
