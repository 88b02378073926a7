import Foundation

/// Adam with decoupled weight decay and bias correction, computing what torch.optim.AdamW computes (without
/// amsgrad and maximize).
///
/// Per parameter w with gradient g at its step t:
///
///     w ← w · (1 − lr·λ)
///     m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
///     w ← w − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// A group whose active parameters share one floating-point dtype and one device, with gradients of the same
/// dtype and device, is updated by libtorch's fused multi-tensor kernel (`_fused_adamw_`). Any other group, or
/// every group when `usesFusedKernel` is false, takes a per-tensor path built from plain tensor ops.
public final class AdamW: Optimizer {
  /// Whether groups that allow it use the fused kernel.
  public let usesFusedKernel: Bool
  private let store: MomentStore

  /// The checkpoint algorithm name.
  public static let algorithm = "adamw"

  public init(
    groups: [ParameterGroup], hyperparameters: AdamHyperparameters = .adamWDefaults, usesFusedKernel: Bool = true
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
    let device = active[0].value.device
    let steps = try entries.map { try $0.deviceStepTensor(on: device) }
    // _fused_adamw_ reads the step counters but does not advance them, so they are advanced first, as torch.optim
    // does. After a failure the device counters are dropped and rebuilt from `step` on the next call.
    let settings = store.hyperparameters
    do {
      try FusedKernels.add(steps, scalar: 1)
      try FusedKernels.adamW(
        params: active.map(\.value), grads: active.map(\.grad), expAvgs: entries.map(\.expAvg),
        expAvgSqs: entries.map(\.expAvgSq), steps: steps, lr: lr, beta1: settings.beta1, beta2: settings.beta2,
        weightDecay: weightDecay, eps: settings.epsilon)
    } catch {
      for entry in entries { entry.deviceStep = nil }
      throw error
    }
    for entry in entries { entry.step += 1 }
  }

  /// Updates one parameter with plain tensor ops, in the order of torch's single-tensor AdamW.
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
    if weightDecay != 0 { try value.scale(by: 1 - lr * weightDecay) }
    try entry.expAvg.scale(by: settings.beta1)
    try entry.expAvg.addScaled(grad, alpha: 1 - settings.beta1)
    try entry.expAvgSq.scale(by: settings.beta2)
    try entry.expAvgSq.addScaled(grad.square(), alpha: 1 - settings.beta2)

    let denominator = try entry.expAvgSq.sqrt() / Foundation.sqrt(biasCorrection2) + settings.epsilon
    try value.addScaled(entry.expAvg / denominator, alpha: -lr / biasCorrection1)
  }

  // MARK: - Checkpoint state

  public func stateTensors() throws -> [(String, Tensor)] { try store.stateTensors() }
  public func scalarState() -> OptimizerScalarState { store.scalarState() }

  public func load(scalarState: OptimizerScalarState, stateTensors: [(String, Tensor)]) throws {
    try store.load(scalarState: scalarState, stateTensors: stateTensors)
  }
}
