/// The order in which a fine-tuning run visits its training features: for every optimizer update, the feature
/// indices of each micro-batch.
///
/// Each epoch visits every feature once in an order shuffled by `EpochShuffle`, cut into micro-batches of
/// `batchSize` (the last one may be smaller) that are grouped `gradientAccumulation` at a time into updates. An
/// epoch that ends inside a group ends that update with fewer micro-batches. The plan is a pure function of its
/// inputs, so another trainer can replay exactly the same batches.
public struct TrainingPlan: Sendable, Equatable {
  /// One optimizer update.
  public struct Step: Sendable, Equatable {
    /// Epoch of the update, counting from 1.
    public var epoch: Int
    /// Feature indices of each micro-batch.
    public var microBatches: [[Int]]
  }

  public let steps: [Step]
  /// Updates in a full epoch.
  public let stepsPerEpoch: Int
  /// Updates of linear warmup: `ceil(warmupRatio × steps.count)`, as transformers' `get_warmup_steps` rounds.
  public let warmupSteps: Int

  /// Plans `epochs` epochs over `featureCount` features, stopping after `maxSteps` updates when that is smaller.
  public init(
    featureCount: Int, batchSize: Int, gradientAccumulation: Int, epochs: Int, maxSteps: Int?, warmupRatio: Double,
    seed: UInt64
  ) {
    let microPerEpoch = (featureCount + batchSize - 1) / batchSize
    stepsPerEpoch = (microPerEpoch + gradientAccumulation - 1) / gradientAccumulation
    let limit = Swift.min(maxSteps ?? Int.max, stepsPerEpoch * epochs)
    var steps: [Step] = []
    steps.reserveCapacity(Swift.max(0, limit))
    epochLoop: for epoch in 1...Swift.max(1, epochs) where featureCount > 0 {
      let order = EpochShuffle.order(count: featureCount, epoch: epoch, seed: seed)
      var start = 0
      while start < featureCount {
        guard steps.count < limit else { break epochLoop }
        var micro: [[Int]] = []
        while micro.count < gradientAccumulation, start < featureCount {
          let end = Swift.min(start + batchSize, featureCount)
          micro.append(Array(order[start..<end]))
          start = end
        }
        steps.append(Step(epoch: epoch, microBatches: micro))
      }
    }
    self.steps = steps
    warmupSteps = Int((warmupRatio * Double(steps.count)).rounded(.up))
  }

  /// Makes the plan of a run with `config` over `featureCount` features.
  public init(featureCount: Int, config: FinetuneConfig) {
    self.init(
      featureCount: featureCount, batchSize: config.batchSize, gradientAccumulation: config.gradientAccumulation,
      epochs: config.epochs, maxSteps: config.maxSteps, warmupRatio: config.warmupRatio, seed: config.seed)
  }
}

// MARK: - Shuffling

/// Seeded per-epoch shuffles that are the same on every machine and Swift version.
///
/// The standard library's shuffle does not specify its algorithm, so this one draws from SplitMix64 (Steele, Lea
/// and Flood, 2014) and runs a Fisher–Yates shuffle with Lemire's unbiased bounded draws.
public enum EpochShuffle {
  /// Returns a permutation of 0..<count for `epoch` (counting from 1) of a run seeded with `seed`.
  public static func order(count: Int, epoch: Int, seed: UInt64) -> [Int] {
    var generator = SplitMix(state: mix(seed ^ 0x4649_4e45_5455_4e45) &+ mix(UInt64(truncatingIfNeeded: epoch)))
    var order = Array(0..<count)
    var index = count - 1
    while index > 0 {
      let other = generator.nextIndex(below: index + 1)
      order.swapAt(index, other)
      index -= 1
    }
    return order
  }

  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
      state &+= 0x9e37_79b9_7f4a_7c15
      return EpochShuffle.mix(state)
    }

    /// Returns a uniform integer in 0..<bound by multiply-shift with rejection.
    mutating func nextIndex(below bound: Int) -> Int {
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
}
