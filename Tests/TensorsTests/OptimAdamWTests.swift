import Testing
@testable import ShenzhouNN

@Suite struct OptimAdamWTests {
  /// Runs the reference steps with `makeOptimizer` and checks every parameter after every step against `history`.
  static func checkAgainstReference(
    _ history: [[String: [Double]]], tolerance: Double,
    makeOptimizer: (OptimReference, [ParameterGroup]) throws -> any Optimizer
  ) throws {
    let reference = try OptimReference.load()
    let model = try makeReferenceModel()
    try loadInitialValues(reference, into: model)
    let frozen = try #require(model.namedParameters().first { $0.0 == "pooler.dense.weight" }?.1)
    let frozenBefore = try frozen.value.toArray(Float.self)

    let groups = try ParameterGroup.decayGroups(of: model, weightDecay: 0)
    let optimizer = try makeOptimizer(reference, groups)
    let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters())

    for step in 0..<history.count {
      try setGradients(reference, step: step, on: model)
      try optimizer.step(lr: reference.lrs[step])
      for (name, expected) in history[step] {
        let parameter = try #require(parameters[name])
        let difference = try maxAbsoluteDifference(parameter.value, expected)
        #expect(difference <= tolerance, "step \(step), \(name): max |difference| \(difference)")
      }
    }
    #expect(optimizer.stepCount == history.count)
    #expect(try frozen.value.toArray(Float.self) == frozenBefore)
  }

  static func adamW(fused: Bool) -> (OptimReference, [ParameterGroup]) throws -> any Optimizer {
    { reference, groups in
      var groups = groups
      groups[0].weightDecay = reference.adamw.weightDecay
      let settings = try AdamHyperparameters(
        beta1: reference.adamw.beta1, beta2: reference.adamw.beta2, epsilon: reference.adamw.eps)
      return try AdamW(groups: groups, hyperparameters: settings, usesFusedKernel: fused)
    }
  }

  @Test func fusedPathMatchesTorch() throws {
    let reference = try OptimReference.load()
    try Self.checkAgainstReference(reference.adamw.history, tolerance: 1e-6, makeOptimizer: Self.adamW(fused: true))
  }

  @Test func perTensorPathMatchesTorch() throws {
    let reference = try OptimReference.load()
    try Self.checkAgainstReference(reference.adamw.history, tolerance: 1e-6, makeOptimizer: Self.adamW(fused: false))
  }

  @Test func fusedPathMatchesTorchFused() throws {
    let reference = try OptimReference.load()
    try Self.checkAgainstReference(reference.adamwFused, tolerance: 1e-6, makeOptimizer: Self.adamW(fused: true))
  }

  @Test func decayGroupsMatchReference() throws {
    let reference = try OptimReference.load()
    let model = try makeReferenceModel()
    let groups = try ParameterGroup.decayGroups(of: model, weightDecay: 0.1)
    #expect(groups.map(\.name) == ["decay", "no_decay"])
    #expect(groups.map(\.weightDecay) == [0.1, 0])
    #expect(groups[1].parameters.map(\.name).sorted() == reference.noDecay)
    let expectedDecayed = reference.parameters.map(\.name).filter { !reference.noDecay.contains($0) }
    #expect(groups[0].parameters.map(\.name) == expectedDecayed)
  }

  @Test func mixedDtypeGroupNotFused() throws {
    let single = try Parameter(Tensor.ones([2, 2]))
    let double = try Parameter(Tensor.ones([2, 2], dtype: .float64))
    try single.value.setGrad(Tensor.ones([2, 2]))
    try double.value.setGrad(Tensor.ones([2, 2], dtype: .float64))
    let sameDtype = [ActiveParameter(name: "a", value: single.value, grad: try #require(single.grad))]
    let mixed = sameDtype + [ActiveParameter(name: "b", value: double.value, grad: try #require(double.grad))]
    #expect(ActiveParameter.canFuse(sameDtype))
    #expect(!ActiveParameter.canFuse(mixed))

    let group = try ParameterGroup(name: "all", parameters: [("a", single), ("b", double)], weightDecay: 0.01)
    let optimizer = try AdamW(groups: [group])
    try optimizer.step(lr: 0.1)
    // After one step from w = 1 with g = 1, m̂ = v̂ = 1, so w = 1 · (1 − lr·λ) − lr / (1 + ε).
    let expected = (1 - 0.1 * 0.01) - 0.1 / (1 + 1e-8)
    #expect(try maxAbsoluteDifference(single.value, Array(repeating: expected, count: 4)) < 1e-6)
    #expect(try maxAbsoluteDifference(double.value, Array(repeating: expected, count: 4)) < 1e-12)
  }

  @Test func invalidSettingsRejected() throws {
    #expect(throws: OptimizerError.self) { try AdamHyperparameters(beta1: 1.0) }
    #expect(throws: OptimizerError.self) { try AdamHyperparameters(beta2: -0.1) }
    #expect(throws: OptimizerError.self) { try AdamHyperparameters(epsilon: .nan) }
    let parameter = try Parameter(Tensor.ones([2]))
    #expect(throws: OptimizerError.self) {
      try ParameterGroup(name: "g", parameters: [("w", parameter)], weightDecay: -1)
    }
    let group = try ParameterGroup(name: "g", parameters: [("w", parameter)])
    let optimizer = try AdamW(groups: [group])
    #expect(throws: OptimizerError.self) { try optimizer.step(lr: .infinity) }
    #expect(throws: OptimizerError.self) {
      try AdamW(groups: [group, try ParameterGroup(name: "h", parameters: [("w", try Parameter(Tensor.ones([1])))])])
    }
    #expect(throws: OptimizerError.self) {
      try AdamW(groups: [try ParameterGroup(name: "g", parameters: [("w", parameter), ("tied", parameter)])])
    }
  }

  @Test func zeroGradDropsGradients() throws {
    let model = try makeReferenceModel()
    let optimizer = try AdamW(groups: try ParameterGroup.decayGroups(of: model, weightDecay: 0.01))
    for parameter in optimizer.parameters { try parameter.value.setGrad(Tensor.ones(parameter.value.shape)) }
    try optimizer.zeroGrad()
    #expect(optimizer.parameters.allSatisfy { $0.grad == nil })
    #expect(optimizer.parameters.count == 5)
  }
}

extension OptimAdamWTests {
  @Test func bfloat16FusedTracksFloat32() throws {
    let generator = try Generator(seed: 5)
    let initial = try Tensor.randn([16, 8], generator: generator).to(dtype: .bfloat16)
    let low = try Parameter(initial.cloned())
    let high = try Parameter(initial.to(dtype: .float32))
    let lowOptimizer = try AdamW(groups: [try ParameterGroup(name: "g", parameters: [("w", low)], weightDecay: 0.1)])
    let highOptimizer = try AdamW(
      groups: [try ParameterGroup(name: "g", parameters: [("w", high)], weightDecay: 0.1)])
    for _ in 0..<3 {
      let grad = try Tensor.randn([16, 8], generator: generator).to(dtype: .bfloat16)
      try low.value.setGrad(grad)
      try high.value.setGrad(grad.to(dtype: .float32))
      try lowOptimizer.step(lr: 1e-2)
      try highOptimizer.step(lr: 1e-2)
    }
    #expect(low.value.dtype == .bfloat16)
    // bfloat16 keeps 8 significant bits, so a value between 2 and 4 rounds by up to 2⁻⁷ at each step.
    let difference = try maxAbsoluteDifference(low.value, try high.value.toArray(Double.self))
    #expect(difference < 0.03, "max |difference| \(difference)")
    let moved = try maxAbsoluteDifference(low.value, try initial.toArray(Double.self))
    #expect(moved > 0.01)
  }
}
