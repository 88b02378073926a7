// MARK: - SplitMix64

/// SplitMix64 generator (Steele, Lea and Flood, 2014), used to expand seeds into Xoshiro states.
public struct SplitMix64: RandomNumberGenerator, Codable, Equatable, Sendable {
  /// The generator's whole state. Saving and restoring it resumes the same stream.
  public var state: UInt64

  public init(seed: UInt64) {
    state = seed
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    return SplitMix64.mix(state)
  }

  /// Applies the SplitMix64 output function, a bijective avalanche mix of 64 bits.
  @inline(__always)
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
