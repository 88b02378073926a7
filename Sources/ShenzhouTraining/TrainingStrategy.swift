import ShenzhouModels
import ShenzhouNN

/// Result of one optimizer step.
public struct StepOutcome: Sendable {
  /// Global L2 norm of the (unscaled) gradients before clipping.
  public var gradNorm: Double
  public var learningRate: Double
  /// True when fp16 loss scaling found inf/nan gradients and the update was skipped.
  public var skipped: Bool
  public var lossScale: Double
}

/// Owns how gradients become parameter updates: gradient synchronization, clipping, loss scaling and the
/// optimizer step, plus the optimizer state in checkpoints.
///
/// The trainer talks to parameters, gradients and optimizer state only through this protocol. The single-process
/// strategy below is the only one today. A data-parallel strategy would all-reduce gradients in
/// `synchronizeGradients`. A ZeRO stage 1/2 strategy would instead reduce-scatter them into flat per-rank buffers,
/// run an optimizer built over its shard of the parameter groups, and all-gather the updated parameters in `step`.
/// Stage 3 would also gather parameters before each layer's forward. `stateTensors` returns this rank's shard.
public protocol TrainingStrategy: AnyObject {
  /// The scale to multiply the loss by before backward (1 unless fp16 loss scaling is on).
  var lossScale: Double { get }
  /// Called once per optimizer step after all micro-batches ran backward.
  func synchronizeGradients() throws
  /// Clips, checks, and applies one update at `learningRate`.
  func step(learningRate: Double) throws -> StepOutcome
  func zeroGrad() throws
  func stateTensors() throws -> [(String, Tensor)]
  func scalarState() throws -> JSONValue
  func load(scalarState: JSONValue, stateTensors: [(String, Tensor)]) throws
}

/// A gradient that is inf or nan outside fp16 loss scaling, which the trainer reports as a diagnosis.
public struct NonFiniteGradientError: Error, CustomStringConvertible, Sendable {
  public let step: Int
  public let parameters: [String]

  public var description: String {
    let list = parameters.prefix(5).joined(separator: ", ") + (parameters.count > 5 ? ", …" : "")
    return "step \(step): non-finite gradients in \(parameters.count) parameter(s) (\(list)); "
      + "lower optim.lr, check the data, or use precision.mode fp32"
  }
}

/// All parameters and the whole optimizer state in this process.
public final class SingleProcessStrategy: TrainingStrategy {
  public let optimizer: any Optimizer
  let namedParameters: [(String, Parameter)]
  let clipNorm: Double
  let lossScaling: Bool
  public private(set) var lossScale: Double
  let scaleWindow: Int
  var goodSteps = 0
  var currentStep: () -> Int

  public init(
    optimizer: any Optimizer, namedParameters: [(String, Parameter)], clipNorm: Double, fp16LossScaling: Bool,
    initialLossScale: Double, lossScaleWindow: Int, currentStep: @escaping () -> Int
  ) {
    self.optimizer = optimizer
    self.namedParameters = namedParameters.filter { !$0.1.isFrozen }
    self.clipNorm = clipNorm
    self.lossScaling = fp16LossScaling
    self.lossScale = fp16LossScaling ? initialLossScale : 1
    self.scaleWindow = lossScaleWindow
    self.currentStep = currentStep
  }

  public func synchronizeGradients() throws {}

  public func step(learningRate: Double) throws -> StepOutcome {
    let gradients = namedParameters.compactMap { $0.1.grad }
    if lossScale != 1 {
      for gradient in gradients { try gradient.scale(by: 1 / lossScale) }
    }
    let norm = try FusedKernels.totalNormSquared(gradients).item().squareRoot()
    if !norm.isFinite {
      if lossScaling {
        lossScale = Swift.max(lossScale / 2, 1)
        goodSteps = 0
        try zeroGrad()
        return StepOutcome(gradNorm: norm, learningRate: learningRate, skipped: true, lossScale: lossScale)
      }
      var bad: [String] = []
      for (name, parameter) in namedParameters {
        guard let gradient = parameter.grad else { continue }
        if try gradient.isFinite().all().item() == 0 { bad.append(name) }
      }
      throw NonFiniteGradientError(step: currentStep(), parameters: bad)
    }
    if clipNorm > 0, norm > clipNorm {
      let factor = clipNorm / (norm + 1e-6)
      for gradient in gradients { try gradient.scale(by: factor) }
    }
    try optimizer.step(lr: learningRate)
    if lossScaling {
      goodSteps += 1
      if goodSteps >= scaleWindow {
        lossScale *= 2
        goodSteps = 0
      }
    }
    return StepOutcome(gradNorm: norm, learningRate: learningRate, skipped: false, lossScale: lossScale)
  }

  public func zeroGrad() throws {
    for (_, parameter) in namedParameters { try parameter.value.zeroGrad() }
  }

  public func stateTensors() throws -> [(String, Tensor)] {
    try optimizer.stateTensors()
  }

  public func scalarState() throws -> JSONValue {
    let encoded = try JSONEncoderBridge.encode(optimizer.scalarState())
    return .object([
      "optimizer": encoded, "loss_scale": .number(lossScale), "good_steps": .number(Double(goodSteps)),
    ])
  }

  public func load(scalarState: JSONValue, stateTensors: [(String, Tensor)]) throws {
    guard let optimizerState = scalarState["optimizer"] else {
      throw ResumeError(message: "trainer state has no optimizer section")
    }
    let decoded = try JSONEncoderBridge.decode(OptimizerScalarState.self, from: optimizerState)
    try optimizer.load(scalarState: decoded, stateTensors: stateTensors)
    lossScale = scalarState["loss_scale"]?.doubleValue ?? lossScale
    goodSteps = scalarState["good_steps"]?.intValue ?? 0
  }
}

/// A checkpoint that cannot be resumed from.
public struct ResumeError: Error, CustomStringConvertible, Sendable {
  public let message: String
  public var description: String { message }
}
