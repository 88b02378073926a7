import ShenzhouModels
import ShenzhouText

/// What `Finetuner` needs to know about a task: how examples become features, how a batch runs through the
/// model, how outputs become predictions, and how predictions are scored.
///
/// The library provides sequence classification, token classification, multiple choice and span extraction.
/// Another task implements the four requirements for its own example and prediction types.
public protocol FinetuneTask: Sendable {
  associatedtype Model: BertTaskModel
  associatedtype Example: Sendable
  associatedtype Prediction: Sendable

  /// Whether each feature carries one row per choice, batched as [B, C, T].
  var batchesByChoices: Bool { get }

  /// Checks that the model fits the task, such as its number of labels.
  func validate(_ model: Model) throws

  /// Encodes one example into its features, throwing `ExampleError` when the example is invalid.
  func features(of example: Example, exampleIndex: Int, tokenizer: BertTokenizer, maxLength: Int) throws
    -> [TaskFeature]

  /// Runs the model on a batch: the mean loss when the batch has labels, and outputs whose first dimension is the
  /// batch.
  func forward(_ model: Model, batch: TaskBatch) throws -> (loss: Tensor?, outputs: Tensor)

  /// Combines the outputs of the features (in `features` order) into one prediction per example.
  func predictions(outputs: [FeatureOutput], features: [TaskFeature], examples: [Example]) throws -> [Prediction]

  /// Scores predictions against the examples' gold labels.
  func evaluate(predictions: [Prediction], examples: [Example]) throws -> EvaluationMetrics
}

extension FinetuneTask {
  public var batchesByChoices: Bool { false }
  public func validate(_ model: Model) throws {}
}

/// Throws unless a classifier has `expected` outputs.
func requireLabelCount(_ model: some BertTaskModel, _ expected: Int) throws {
  let actual = model.config.numLabels
  guard actual == expected else {
    throw FinetuneError.invalidConfig(
      field: "labels",
      message: "the model has \(actual) labels but the task has \(expected); load the model with the task's labels")
  }
}

/// Scores of one evaluation, and which of them selects the best checkpoint.
public struct EvaluationMetrics: Sendable, Equatable {
  /// Metric values by name, such as `accuracy`.
  public var values: [String: Double]
  /// The name of the value that selects the best checkpoint.
  public var primary: String
  /// Whether a larger primary value is better.
  public var higherIsBetter: Bool

  public init(values: [String: Double], primary: String, higherIsBetter: Bool = true) {
    self.values = values
    self.primary = primary
    self.higherIsBetter = higherIsBetter
  }

  /// The primary value; NaN when `values` lacks it.
  public var primaryValue: Double { values[primary] ?? .nan }

  /// Returns whether these metrics beat `other` on the primary value; NaN never beats anything.
  public func isBetter(than other: EvaluationMetrics?) -> Bool {
    guard !primaryValue.isNaN else { return false }
    guard let other, !other.primaryValue.isNaN else { return true }
    return higherIsBetter ? primaryValue > other.primaryValue : primaryValue < other.primaryValue
  }
}

// MARK: - Shared helpers

/// Returns the index of the largest of `count` values starting at `start`; the first one wins ties.
func argmax(_ values: [Float], start: Int = 0, count: Int) -> Int {
  var best = 0
  for index in 1..<Swift.max(1, count) where values[start + index] > values[start + best] {
    best = index
  }
  return best
}

/// Returns the fraction of pairs whose two values are equal; NaN for no pairs.
func accuracy(_ pairs: [(predicted: Int, gold: Int)]) -> Double {
  guard !pairs.isEmpty else { return .nan }
  return Double(pairs.filter { $0.predicted == $0.gold }.count) / Double(pairs.count)
}
