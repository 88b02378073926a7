/// Moment decay rates and the denominator term shared by AdamW and LAMB.
public struct AdamHyperparameters: Codable, Sendable, Equatable {
  /// Decay rate of the first moment (running mean of gradients).
  public var beta1: Double
  /// Decay rate of the second moment (running mean of squared gradients).
  public var beta2: Double
  /// Term added to √v̂ in the denominator, as torch's `eps`.
  public var epsilon: Double

  /// Throws `OptimizerError` unless both betas lie in [0, 1) and epsilon is finite and >= 0.
  public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) throws {
    try OptimizerError.requireUnitInterval(beta1, "beta1")
    try OptimizerError.requireUnitInterval(beta2, "beta2")
    try OptimizerError.requireNonNegative(epsilon, "eps")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  /// torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8.
  public static let adamWDefaults = AdamHyperparameters(validated: 0.9, 0.999, 1e-8)
  /// LAMB defaults: betas (0.9, 0.999), eps 1e-6.
  public static let lambDefaults = AdamHyperparameters(validated: 0.9, 0.999, 1e-6)

  private init(validated beta1: Double, _ beta2: Double, _ epsilon: Double) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      beta1: try container.decode(Double.self, forKey: .beta1),
      beta2: try container.decode(Double.self, forKey: .beta2),
      epsilon: try container.decode(Double.self, forKey: .epsilon))
  }

  // MARK: - Scalar-state form

  /// The values under the keys that `OptimizerScalarState.hyperparameters` uses.
  var dictionary: [String: Double] { ["beta1": beta1, "beta2": beta2, "eps": epsilon] }

  /// Reads the values back from `OptimizerScalarState.hyperparameters`, rejecting missing or invalid entries.
  init(dictionary: [String: Double]) throws {
    func value(_ key: String) throws -> Double {
      guard let value = dictionary[key] else {
        throw OptimizerError(
          field: "hyperparameters.\(key)", message: "missing from the checkpoint's optimizer state; expected "
            + "keys beta1, beta2 and eps")
      }
      return value
    }
    try self.init(beta1: try value("beta1"), beta2: try value("beta2"), epsilon: try value("eps"))
  }
}
