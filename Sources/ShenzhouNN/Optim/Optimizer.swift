/// A first-order optimizer over a list of parameter groups, with state that can be checkpointed and restored
/// exactly.
///
/// An optimizer updates only the parameters in its groups, and keys its per-parameter state by parameter name. It
/// never assumes that it sees the whole model, which is what a data-parallel strategy with sharded optimizer state
/// (ZeRO stage 1 or 2) needs. Such a strategy builds each rank's optimizer from that rank's shard of the groups
/// (whole parameters, or parameters wrapping its slices of flat buffers), reduce-scatters the gradients so that
/// each rank holds the full gradient of what it owns, calls `step(lr:)`, and all-gathers the updated values. For
/// global-norm clipping it squares each rank's `gradNorm`, all-reduces the squares, and passes the square root to
/// `scaleGradients(_:toMaxNorm:totalNorm:)`. Each rank saves its own `stateTensors()`. With whole-parameter
/// shards, the union of the ranks' state tensors is the state of the unsharded optimizer, so a checkpoint can be
/// resharded.
///
/// Parameters are skipped at a step when they are frozen or have no gradient, as torch.optim skips a parameter
/// whose `.grad` is None: their moments and step counts stay as they are.
public protocol Optimizer: AnyObject {
  /// The groups this optimizer updates; names of parameters are unique across groups.
  var groups: [ParameterGroup] { get }

  /// Number of completed `step(lr:)` calls.
  var stepCount: Int { get }

  /// Applies one update with learning rate `lr` (times each group's `lrScale`) from the current gradients.
  func step(lr: Double) throws

  /// Returns the per-parameter state tensors under checkpoint keys `<parameter name>.<state name>`.
  ///
  /// The tensors are the live state, not copies: write them out before the next step.
  func stateTensors() throws -> [(String, Tensor)]

  /// Returns the step count, hyperparameters and group layout, for a JSON part of a checkpoint.
  func scalarState() -> OptimizerScalarState

  /// Restores state saved by `scalarState()` and `stateTensors()`, so that the next step equals the step that
  /// the saving optimizer would have taken. As torch.optim's load_state_dict does, the checkpoint's
  /// hyperparameters and group settings replace the current ones.
  ///
  /// Throws `OptimizerError` when the checkpoint belongs to another algorithm, lists other groups or parameters,
  /// or holds a tensor of the wrong shape, and leaves the optimizer unchanged then.
  func load(scalarState: OptimizerScalarState, stateTensors: [(String, Tensor)]) throws
}

// MARK: - Conveniences

extension Optimizer {
  /// The trainable parameters of all groups, in group order, for clipping and non-finite checks.
  public var parameters: [Parameter] {
    groups.flatMap { group in group.parameters.map(\.parameter) }.filter { !$0.isFrozen }
  }

  /// Applies one update at the learning rate that `schedule` gives for the current step count, and returns that
  /// learning rate.
  @discardableResult
  public func step(schedule: LRSchedule) throws -> Double {
    let lr = schedule.lr(step: stepCount)
    try step(lr: lr)
    return lr
  }

  /// Drops the gradients of all parameters in the groups (as torch's `zero_grad(set_to_none=True)`).
  public func zeroGrad() throws {
    for group in groups {
      for entry in group.parameters { try entry.parameter.value.zeroGrad() }
    }
  }
}

// MARK: - Scalar state

/// The part of an optimizer's state that is not tensors: algorithm, step count, hyperparameters and groups.
public struct OptimizerScalarState: Codable, Sendable, Equatable {
  /// One group's settings and the names of its parameters, in order.
  public struct Group: Codable, Sendable, Equatable {
    public var name: String
    public var weightDecay: Double
    public var lrScale: Double
    public var parameterNames: [String]

    public init(name: String, weightDecay: Double, lrScale: Double, parameterNames: [String]) {
      self.name = name
      self.weightDecay = weightDecay
      self.lrScale = lrScale
      self.parameterNames = parameterNames
    }
  }

  /// `adamw` or `lamb`.
  public var algorithm: String
  public var stepCount: Int
  /// Algorithm settings by name, such as `beta1`, `beta2` and `eps`.
  public var hyperparameters: [String: Double]
  public var groups: [Group]

  public init(algorithm: String, stepCount: Int, hyperparameters: [String: Double], groups: [Group]) {
    self.algorithm = algorithm
    self.stepCount = stepCount
    self.hyperparameters = hyperparameters
    self.groups = groups
  }
}
