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
/// no-decay group. Norms of float16 and bfloat16 tensors are taken in float32. Nothing in a step copies a value to
/// the host, so a CUDA step does not wait for the device.
///
/// A group whose active parameters share one floating-point dtype and one device, with gradients of the same
/// dtype and device, is updated by a multi-tensor kernel built from libtorch's _foreach ops. Any other group, or
/// every group when `usesFusedKernel` is false, takes a per-tensor path built from plain tensor ops.
public final class LAMB: Optimizer {
  /// Whether groups that allow it use the multi-tensor kernel.
  public let usesFusedKernel: Bool
  private let store: MomentStore

  /// The checkpoint algorithm name.
  public static let algorithm = "lamb"

  public init(
    groups: [ParameterGroup], hyperparameters: AdamHyperparameters = .lambDefaults, usesFusedKernel: Bool = true
  ) throws {
    store = try MomentStore(algorithm: Self.algorithm, groups: groups, hyperparameters: hyperparameters)
    self.usesFusedKernel = usesFusedKernel
  }

  public var groups: [ParameterGroup] { store.groups }
  public var stepCount: Int { store.stepCount }
  public var hyperparameters: AdamHyperparameters { store.hyperparameters }

  // MARK: - Update

  public func step(lr: Double) throws {
    try OptimizerError.requireNonNegative(lr, "lr")
    try withNoGrad {
      for group in store.groups {
        let active = store.activeParameters(of: group)
        guard !active.isEmpty else { continue }
        let groupLR = lr * group.lrScale
        if usesFusedKernel, ActiveParameter.canFuse(active) {
          try fusedUpdate(active, lr: groupLR, weightDecay: group.weightDecay)
        } else {
          for parameter in active {
            try update(parameter, lr: groupLR, weightDecay: group.weightDecay)
          }
        }
      }
    }
    store.stepCount += 1
  }

  private func fusedUpdate(_ active: [ActiveParameter], lr: Double, weightDecay: Double) throws {
    let entries = try active.map { try store.entry(for: $0) }
    let settings = store.hyperparameters
    try FusedKernels.lamb(
      params: active.map(\.value), grads: active.map(\.grad), expAvgs: entries.map(\.expAvg),
      expAvgSqs: entries.map(\.expAvgSq), steps: entries.map { $0.step + 1 }, lr: lr, beta1: settings.beta1,
      beta2: settings.beta2, weightDecay: weightDecay, eps: settings.epsilon)
    for entry in entries {
      entry.step += 1
      entry.deviceStep = nil
    }
  }

  /// Updates one parameter with plain tensor ops.
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
