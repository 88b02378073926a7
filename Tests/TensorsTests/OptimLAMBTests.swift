import Testing
@testable import ShenzhouNN

@Suite struct OptimLAMBTests {
  static func lamb(fused: Bool) -> (OptimReference, [ParameterGroup]) throws -> any Optimizer {
    { reference, groups in
      var groups = groups
      groups[0].weightDecay = reference.lamb.weightDecay
      let settings = try AdamHyperparameters(
        beta1: reference.lamb.beta1, beta2: reference.lamb.beta2, epsilon: reference.lamb.eps)
      return try LAMB(groups: groups, hyperparameters: settings, usesFusedKernel: fused)
    }
  }

  @Test func fusedPathMatchesPython() throws {
    let reference = try OptimReference.load()
    try OptimAdamWTests.checkAgainstReference(
      reference.lamb.history, tolerance: 1e-6, makeOptimizer: Self.lamb(fused: true))
  }

  @Test func perTensorPathMatchesPython() throws {
    let reference = try OptimReference.load()
    try OptimAdamWTests.checkAgainstReference(
      reference.lamb.history, tolerance: 1e-6, makeOptimizer: Self.lamb(fused: false))
  }

  @Test func trustRatioCases() throws {
    let weight = try Tensor([3, 4] as [Float])
    let update = try Tensor([0, 10] as [Float])
    #expect(try LAMB.trustRatio(weight: weight, update: update).item() == 0.5)
    let zeros = try Tensor.zeros([2])
    #expect(try LAMB.trustRatio(weight: zeros, update: update).item() == 1)
    #expect(try LAMB.trustRatio(weight: weight, update: zeros).item() == 1)
    #expect(try LAMB.trustRatio(weight: zeros, update: zeros).item() == 1)
  }

  @Test(arguments: [true, false]) func stepScaledToWeightNorm(fused: Bool) throws {
    // With λ = 0, r = m̂ / (√v̂ + ε) and the step is lr · ‖w‖ · r / ‖r‖, so ‖Δw‖ = lr · ‖w‖.
    let parameter = try Parameter(Tensor([3, 0, 4, 0] as [Float], shape: [2, 2]))
    try parameter.value.setGrad(Tensor([0.5, -2, 1, 3] as [Float], shape: [2, 2]))
    let group = try ParameterGroup(name: "g", parameters: [("w", parameter)])
    let optimizer = try LAMB(groups: [group], usesFusedKernel: fused)
    let before = try parameter.value.cloned()
    try optimizer.step(lr: 0.01)
    let change = try (parameter.value - before).norm().item()
    #expect(Swift.abs(change - 0.01 * 5) < 1e-6)
  }

  @Test func bfloat16FusedTracksFloat32() throws {
    let generator = try Generator(seed: 9)
    let initial = try Tensor.randn([16, 8], generator: generator).to(dtype: .bfloat16)
    let low = try Parameter(initial.cloned())
    let high = try Parameter(initial.to(dtype: .float32))
    let lowOptimizer = try LAMB(groups: [try ParameterGroup(name: "g", parameters: [("w", low)], weightDecay: 0.1)])
    let highOptimizer = try LAMB(groups: [try ParameterGroup(name: "g", parameters: [("w", high)], weightDecay: 0.1)])
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
