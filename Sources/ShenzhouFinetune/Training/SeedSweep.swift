import Foundation
import ShenzhouModels

/// The values of one metric over several seeds, with their mean and sample standard deviation.
public struct SeedSummary: Sendable, Equatable, CustomStringConvertible {
  public let seeds: [UInt64]
  public let values: [Double]

  public var mean: Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
  }

  /// Sample standard deviation (dividing by n − 1); 0 for one value.
  public var standardDeviation: Double {
    guard values.count > 1 else { return 0 }
    let mean = self.mean
    let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (squares / Double(values.count - 1)).squareRoot()
  }

  /// For example `0.5412 ± 0.0123 over 3 seeds`.
  public var description: String {
    let format = { (value: Double) in String(format: "%.4f", value) }
    return "\(format(mean)) ± \(format(standardDeviation)) over \(values.count) seeds"
  }
}

/// Repeats a fine-tuning run with several seeds.
public enum SeedSweep {
  /// Calls `body` once per seed, in order, after seeding libtorch's default generators with that seed, so that
  /// a head that `body` initializes differs per seed. Returns the values `body` returns, such as the best dev
  /// accuracy, with their mean and standard deviation. `body` should also pass the seed to `FinetuneConfig.seed`.
  public static func run(seeds: [UInt64], _ body: (UInt64) throws -> Double) throws -> SeedSummary {
    var values: [Double] = []
    for seed in seeds {
      try Runtime.manualSeed(seed)
      values.append(try body(seed))
    }
    return SeedSummary(seeds: seeds, values: values)
  }
}
