/// A fine-tuning failure that names the setting, example or step involved and what to do about it.
public enum FinetuneError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A `FinetuneConfig` field is out of range.
  case invalidConfig(field: String, message: String)
  /// An example cannot be turned into model input. `set` is `train`, `dev` or `predict`, and `index` counts from 0.
  case invalidExample(set: String, index: Int, message: String)
  /// The training set is empty.
  case emptyTrainingSet
  /// The loss of an update is inf or NaN.
  case nonFiniteLoss(step: Int, value: Double)
  /// The features of one batch carry different kinds of targets.
  case mixedTargets(String)
  /// A checkpoint or run file could not be written.
  case writeFailed(path: String, message: String)

  public var description: String {
    switch self {
    case .invalidConfig(let field, let message):
      return "invalid fine-tuning setting \(field): \(message)"
    case .invalidExample(let set, let index, let message):
      return "invalid \(set) example \(index): \(message)"
    case .emptyTrainingSet:
      return "the training set is empty; pass at least one example"
    case .nonFiniteLoss(let step, let value):
      return "the loss at update \(step) is \(value); lower the learning rate or use fp32 precision"
    case .mixedTargets(let message):
      return "cannot batch features with different targets: \(message)"
    case .writeFailed(let path, let message):
      return "cannot write \(path): \(message)"
    }
  }
}

/// A problem with one example, raised by a task's encoder; `Finetuner` adds the example set and index.
public struct ExampleError: Error, Sendable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
