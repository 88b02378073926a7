/// Running accuracy over predictions.
public struct AccuracyMetric: Sendable, Hashable {
  public private(set) var correct = 0
  public private(set) var total = 0

  public init() {}

  public mutating func add<Label: Equatable>(prediction: Label, gold: Label) {
    total += 1
    if prediction == gold { correct += 1 }
  }

  /// Accuracy in percent, 0 when nothing was added.
  public var accuracy: Double {
    total == 0 ? 0 : 100 * Double(correct) / Double(total)
  }
}
