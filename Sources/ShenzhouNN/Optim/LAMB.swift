import Foundation

/// LAMB (You et al., 2019, "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes"): Adam
/// moments with bias correction, and a per-tensor trust ratio that scales each layer's step to its weight norm.
///
/// Per parameter w with gradient g at its step t:
///
///     m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
///     r = (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε) + λ·w
///     w ← w − lr · (‖w‖ / ‖r‖) · r
///
/// The trust ratio ‖w‖/‖r‖ is 1 when either norm is 0, and it applies to every tensor, including those of the
/// no-decay group. Norms of float16 and bfloat16 tensors are taken in float32. The update runs tensor by tensor;
/// nothing in it copies a value to the host, so a CUDA step does not wait for the device.
public final class LAMB: Optimizer {
  private let store: MomentStore

  /// The checkpoint algorithm name.
  public static let algorithm = "lamb"

  public init(groups: [ParameterGroup], hyperparameters: AdamHyperparameters = .lambDefaults) throws {
    store = try MomentStore(algorithm: Self.algorithm, groups: groups, hyperparameters: hyperparameters)
  }

  public var groups: [ParameterGroup] { store.groups }
  public var stepCount: Int { store.stepCount }
  public var hyperparameters: AdamHyperparameters { store.hyperparameters }

  // MARK: - Update

  public func step(lr: Double) throws {
    try OptimizerError.requireNonNegative(lr, "lr")
    try withNoGrad {
      for group in store.groups {
        let groupLR = lr * group.lrScale
        for parameter in store.activeParameters(of: group) {
          try update(parameter, lr: groupLR, weightDecay: group.weightDecay)
        }
      }
    }
    store.stepCount += 1
  }

  private func update(_ parameter: ActiveParameter, lr: Double, weightDecay: Double) throws {
    let entry = try store.entry(for: parameter)
    let settings = store.hyperparameters
    entry.step += 1
    entry.deviceStep = nil
    let step = Double(entry.step)
    let biasCorrection1 = 1 - Foundation.pow(settings.beta1, step)
    let biasCorrection2 = 1 - Foundation.pow(settings.beta2, step)

    let value = parameter.value
    let grad = parameter.grad
    try entry.expAvg.scale(by: settings.beta1)
    try entry.expAvg.addScaled(grad, alpha: 1 - settings.beta1)
    try entry.expAvgSq.scale(by: settings.beta2)
    try entry.expAvgSq.addScaled(grad.square(), alpha: 1 - settings.beta2)

    let firstMoment = try entry.expAvg / biasCorrection1
    let secondMoment = try entry.expAvgSq / biasCorrection2
    var direction = try firstMoment / (secondMoment.sqrt() + settings.epsilon)
    if weightDecay != 0 {
      direction = try direction + value * weightDecay
    }

    let trust = try Self.trustRatio(weight: value, update: direction)
    try value.addScaled(direction * trust, alpha: -lr)
  }

  /// ‖w‖ / ‖r‖ as a 0-d tensor on the parameter's device, or 1 when either norm is 0.
  static func trustRatio(weight: Tensor, update: Tensor) throws -> Tensor {
    let weightNorm = try norm(weight)
    let updateNorm = try norm(update)
    let bothPositive = try weightNorm.gt(0).logicalAnd(updateNorm.gt(0))
    let one = try Tensor.ones([], dtype: weightNorm.dtype, device: weightNorm.device)
    return try Tensor.where(bothPositive, weightNorm / updateNorm, one)
  }

  private static func norm(_ tensor: Tensor) throws -> Tensor {
    switch tensor.dtype {
    case .float16, .bfloat16: try tensor.to(dtype: .float32).norm()
    default: try tensor.norm()
    }
  }

  // MARK: - Checkpoint state

  public func stateTensors() throws -> [(String, Tensor)] { try store.stateTensors() }
  public func scalarState() -> OptimizerScalarState { store.scalarState() }

  public func load(scalarState: OptimizerScalarState, stateTensors: [(String, Tensor)]) throws {
    try store.load(scalarState: scalarState, stateTensors: stateTensors)
  }
}
