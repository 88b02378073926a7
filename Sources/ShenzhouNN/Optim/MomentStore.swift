/// Adam moments and step count of one parameter.
final class MomentEntry {
  let expAvg: Tensor
  let expAvgSq: Tensor
  /// Updates applied to this parameter, which sets its bias correction.
  var step: Int
  /// `step` as a float32 scalar on the parameter's device, which _fused_adamw_ reads; nil after a per-tensor update
  /// made it stale.
  var deviceStep: Tensor?

  init(expAvg: Tensor, expAvgSq: Tensor, step: Int) {
    self.expAvg = expAvg
    self.expAvgSq = expAvgSq
    self.step = step
  }

  func deviceStepTensor(on device: Device) throws -> Tensor {
    if let deviceStep { return deviceStep }
    let tensor = try Tensor.full([], value: Double(step), dtype: .float32, device: device)
    deviceStep = tensor
    return tensor
  }
}

/// A parameter that takes part in a step: trainable and with a gradient.
struct ActiveParameter {
  let name: String
  let value: Tensor
  let grad: Tensor

  /// Returns whether a multi-tensor kernel can take the whole list in one call, because all values and gradients
  /// share one floating-point dtype and one device.
  static func canFuse(_ active: [ActiveParameter]) -> Bool {
    guard let first = active.first?.value else { return false }
    let dtype = first.dtype
    let device = first.device
    guard dtype.isFloatingPoint else { return false }
    return active.allSatisfy { parameter in
      parameter.value.dtype == dtype && parameter.value.device == device
        && parameter.grad.dtype == dtype && parameter.grad.device == device
    }
  }
}

/// Groups, hyperparameters and per-parameter Adam moments, with the checkpoint layout that AdamW and LAMB share.
///
/// State tensors are keyed `<parameter>.exp_avg`, `<parameter>.exp_avg_sq` and `<parameter>.step` (an int64
/// scalar); a parameter that never had a gradient has no entry, as in torch.optim.
final class MomentStore {
  let algorithm: String
  private(set) var groups: [ParameterGroup]
  private(set) var hyperparameters: AdamHyperparameters
  var stepCount = 0
  private var entries: [String: MomentEntry] = [:]

  init(algorithm: String, groups: [ParameterGroup], hyperparameters: AdamHyperparameters) throws {
    var names = Set<String>()
    var objects = Set<ObjectIdentifier>()
    for group in groups {
      for (name, parameter) in group.parameters {
        guard names.insert(name).inserted else {
          throw OptimizerError(
            field: name, message: "parameter name appears twice in the optimizer's groups; give each parameter "
              + "one name in one group")
        }
        guard objects.insert(ObjectIdentifier(parameter)).inserted else {
          throw OptimizerError(
            field: name, message: "the same parameter appears under two names; list a tied parameter once")
        }
      }
    }
    self.algorithm = algorithm
    self.groups = groups
    self.hyperparameters = hyperparameters
  }

  // MARK: - Step support

  /// Returns the group's trainable parameters that have a gradient, in group order.
  func activeParameters(of group: ParameterGroup) -> [ActiveParameter] {
    group.parameters.compactMap { name, parameter in
      guard !parameter.isFrozen, let grad = parameter.grad else { return nil }
      return ActiveParameter(name: name, value: parameter.value, grad: grad)
    }
  }

  /// Returns the moments of a parameter, creating them as zeros like its value on its first step.
  func entry(for parameter: ActiveParameter) throws -> MomentEntry {
    let value = parameter.value
    if let entry = entries[parameter.name] {
      let state = entry.expAvg
      guard state.shape == value.shape, state.device == value.device, state.dtype == value.dtype else {
        throw OptimizerError(
          field: parameter.name, message: "optimizer state is \(state) but the parameter is now \(value); "
            + "convert the model before creating the optimizer or loading its state")
      }
      return entry
    }
    let entry = MomentEntry(
      expAvg: try Tensor.zeros(value.shape, dtype: value.dtype, device: value.device),
      expAvgSq: try Tensor.zeros(value.shape, dtype: value.dtype, device: value.device),
      step: 0)
    entries[parameter.name] = entry
    return entry
  }

  // MARK: - Checkpoint state

  func stateTensors() throws -> [(String, Tensor)] {
    var result: [(String, Tensor)] = []
    for group in groups {
      for (name, _) in group.parameters {
        guard let entry = entries[name] else { continue }
        result.append(("\(name).exp_avg", entry.expAvg))
        result.append(("\(name).exp_avg_sq", entry.expAvgSq))
        result.append(("\(name).step", try Tensor(scalar: Int64(entry.step))))
      }
    }
    return result
  }

  func scalarState() -> OptimizerScalarState {
    OptimizerScalarState(
      algorithm: algorithm, stepCount: stepCount, hyperparameters: hyperparameters.dictionary,
      groups: groups.map { group in
        OptimizerScalarState.Group(
          name: group.name, weightDecay: group.weightDecay, lrScale: group.lrScale,
          parameterNames: group.parameters.map(\.name))
      })
  }

  /// Validates the whole checkpoint first and changes nothing when any part of it is rejected.
  func load(scalarState: OptimizerScalarState, stateTensors: [(String, Tensor)]) throws {
    guard scalarState.algorithm == algorithm else {
      throw OptimizerError(
        field: "algorithm", message: "the checkpoint holds \(scalarState.algorithm) state, but this optimizer is "
          + "\(algorithm); resume with the optimizer that wrote the checkpoint")
    }
    guard scalarState.stepCount >= 0 else {
      throw OptimizerError(field: "step_count", message: "invalid value \(scalarState.stepCount); expected >= 0")
    }
    let restoredHyperparameters = try AdamHyperparameters(dictionary: scalarState.hyperparameters)
    let restoredGroups = try restoreGroups(scalarState.groups)
    let restoredEntries = try restoreEntries(stateTensors)

    groups = restoredGroups
    hyperparameters = restoredHyperparameters
    stepCount = scalarState.stepCount
    entries = restoredEntries
  }

  /// The current groups with the checkpoint's settings, after checking that both list the same parameters.
  private func restoreGroups(_ saved: [OptimizerScalarState.Group]) throws -> [ParameterGroup] {
    guard saved.map(\.name) == groups.map(\.name) else {
      throw OptimizerError(
        field: "groups", message: "the checkpoint has groups \(saved.map(\.name)), this optimizer has "
          + "\(groups.map(\.name)); build the optimizer with the same grouping as the run that wrote the checkpoint")
    }
    var result = groups
    for (index, savedGroup) in saved.enumerated() {
      let current = Set(groups[index].parameters.map(\.name))
      let stored = Set(savedGroup.parameterNames)
      guard current == stored else {
        let missing = stored.subtracting(current).sorted().prefix(3)
        let extra = current.subtracting(stored).sorted().prefix(3)
        throw OptimizerError(
          field: "groups.\(savedGroup.name)", message: "parameters differ from the checkpoint (only in the "
            + "checkpoint: \(Array(missing)); only in this model: \(Array(extra))); build the optimizer from the "
            + "same model, frozen parameters and grouping rule as the run that wrote the checkpoint")
      }
      try OptimizerError.requireNonNegative(savedGroup.weightDecay, "groups.\(savedGroup.name).weight_decay")
      try OptimizerError.requireNonNegative(savedGroup.lrScale, "groups.\(savedGroup.name).lr_scale")
      result[index].weightDecay = savedGroup.weightDecay
      result[index].lrScale = savedGroup.lrScale
    }
    return result
  }

  /// Copies of the checkpoint's moments in each parameter's dtype and on its device.
  private func restoreEntries(_ stateTensors: [(String, Tensor)]) throws -> [String: MomentEntry] {
    var byKey: [String: Tensor] = [:]
    for (key, tensor) in stateTensors {
      guard byKey.updateValue(tensor, forKey: key) == nil else {
        throw OptimizerError(field: key, message: "state key appears twice in the checkpoint")
      }
    }
    var restored: [String: MomentEntry] = [:]
    for group in groups {
      for (name, parameter) in group.parameters {
        let keys = ["\(name).exp_avg", "\(name).exp_avg_sq", "\(name).step"]
        let found = keys.map { byKey.removeValue(forKey: $0) }
        if found.allSatisfy({ $0 == nil }) { continue }
        guard let expAvg = found[0], let expAvgSq = found[1], let step = found[2] else {
          let absent = zip(keys, found).filter { $0.1 == nil }.map(\.0)
          throw OptimizerError(
            field: name, message: "optimizer state is incomplete: \(absent) missing from the checkpoint")
        }
        restored[name] = try restoreEntry(
          name: name, like: parameter.value, expAvg: expAvg, expAvgSq: expAvgSq, step: step)
      }
    }
    if !byKey.isEmpty {
      let unknown = byKey.keys.sorted()
      throw OptimizerError(
        field: unknown[0], message: "\(unknown.count) state tensor(s) match no parameter of this optimizer "
          + "(first: \(unknown.prefix(3))); resume with the model and grouping that wrote the checkpoint")
    }
    return restored
  }

  private func restoreEntry(name: String, like value: Tensor, expAvg: Tensor, expAvgSq: Tensor, step: Tensor)
    throws -> MomentEntry
  {
    for (key, tensor) in [("exp_avg", expAvg), ("exp_avg_sq", expAvgSq)] where tensor.shape != value.shape {
      throw OptimizerError(
        field: "\(name).\(key)", message: "shape \(tensor.shape) in the checkpoint, but the parameter has shape "
          + "\(value.shape); resume with the model configuration that wrote the checkpoint")
    }
    guard step.count == 1 else {
      throw OptimizerError(field: "\(name).step", message: "expected one element, got shape \(step.shape)")
    }
    let stepValue = try step.item()
    guard stepValue >= 0, stepValue.rounded() == stepValue, stepValue < Double(Int.max) else {
      throw OptimizerError(field: "\(name).step", message: "invalid step \(stepValue); expected an integer >= 0")
    }
    let entry = MomentEntry(
      expAvg: try Tensor.zeros(value.shape, dtype: value.dtype, device: value.device),
      expAvgSq: try Tensor.zeros(value.shape, dtype: value.dtype, device: value.device),
      step: Int(stepValue))
    try entry.expAvg.assign(expAvg)
    try entry.expAvgSq.assign(expAvgSq)
    return entry
  }
}
