/// A rejected optimizer setting or checkpoint: the field or state key, the value found and what to do instead.
public struct OptimizerError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The setting or state key that failed, such as `beta2` or `encoder.layer.0.output.dense.weight.exp_avg`.
  public let field: String
  public let message: String

  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field): \(message)" }

  // MARK: - Hyperparameter checks

  static func requireFinite(_ value: Double, _ field: String) throws {
    guard value.isFinite else {
      throw OptimizerError(field: field, message: "invalid value \(value); expected a finite number")
    }
  }

  static func requireNonNegative(_ value: Double, _ field: String) throws {
    guard value.isFinite, value >= 0 else {
      throw OptimizerError(field: field, message: "invalid value \(value); expected a finite number >= 0")
    }
  }

  static func requireUnitInterval(_ value: Double, _ field: String) throws {
    guard value.isFinite, value >= 0, value < 1 else {
      throw OptimizerError(field: field, message: "invalid value \(value); expected a number in [0, 1)")
    }
  }
}
