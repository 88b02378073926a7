/// Parameters that share a weight decay and a learning-rate multiplier, as a torch.optim parameter group.
///
/// Each parameter carries its checkpoint name, which also keys its optimizer state, so names must be unique
/// across the groups of one optimizer.
public struct ParameterGroup: Sendable {
  /// The group's label in the optimizer's scalar state, such as `decay` or `no_decay`.
  public var name: String
  public var parameters: [(name: String, parameter: Parameter)]
  /// Decoupled weight decay coefficient (AdamW's λ, LAMB's λ); 0 turns decay off.
  public var weightDecay: Double
  /// Multiplier on the learning rate passed to `step(lr:)`, e.g. for layer-wise learning-rate decay.
  public var lrScale: Double

  public init(
    name: String, parameters: [(name: String, parameter: Parameter)], weightDecay: Double = 0, lrScale: Double = 1
  ) throws {
    try OptimizerError.requireNonNegative(weightDecay, "weight_decay of group \(name)")
    try OptimizerError.requireNonNegative(lrScale, "lr_scale of group \(name)")
    self.name = name
    self.parameters = parameters
    self.weightDecay = weightDecay
    self.lrScale = lrScale
  }
}

// MARK: - Weight-decay grouping

extension ParameterGroup {
  /// Name of the group that `decayGroups` fills with decayed parameters.
  public static let decayGroupName = "decay"
  /// Name of the group that `decayGroups` fills with parameters exempt from weight decay.
  public static let noDecayGroupName = "no_decay"

  /// Returns whether a parameter is exempt from weight decay: biases, LayerNorm weights and every tensor of rank
  /// 0 or 1.
  ///
  /// Names ending in `.bias`, or containing `LayerNorm.` or `layer_norm`, match, and the rank rule also catches
  /// scale and shift vectors under other names. transformers' Trainer (5.25) exempts a similar set, found by module
  /// type and name patterns. This function is the one place that decides, and `decayGroups` uses it.
  public static func isNoDecay(name: String, shape: [Int]) -> Bool {
    if shape.count <= 1 { return true }
    if name == "bias" || name.hasSuffix(".bias") { return true }
    return name.contains("LayerNorm.") || name.contains("layer_norm")
  }

  /// Splits the trainable parameters into a `decay` group with `weightDecay` and a `no_decay` group with none,
  /// using `isNoDecay`. Frozen parameters are left out. Both groups are always returned, possibly empty, so that
  /// the optimizer state has the same layout for every model.
  public static func decayGroups(_ parameters: [(String, Parameter)], weightDecay: Double, lrScale: Double = 1)
    throws -> [ParameterGroup]
  {
    var decayed: [(name: String, parameter: Parameter)] = []
    var exempt: [(name: String, parameter: Parameter)] = []
    for (name, parameter) in parameters where !parameter.isFrozen {
      if isNoDecay(name: name, shape: parameter.value.shape) {
        exempt.append((name, parameter))
      } else {
        decayed.append((name, parameter))
      }
    }
    return [
      try ParameterGroup(name: decayGroupName, parameters: decayed, weightDecay: weightDecay, lrScale: lrScale),
      try ParameterGroup(name: noDecayGroupName, parameters: exempt, weightDecay: 0, lrScale: lrScale),
    ]
  }

  /// Splits `module.namedParameters()` into decay and no-decay groups; see `decayGroups(_:weightDecay:lrScale:)`.
  public static func decayGroups(of module: Module, weightDecay: Double, lrScale: Double = 1) throws
    -> [ParameterGroup]
  {
    try decayGroups(module.namedParameters(), weightDecay: weightDecay, lrScale: lrScale)
  }
}
