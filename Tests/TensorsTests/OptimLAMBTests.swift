import Testing
@testable import ShenzhouNN

@Suite struct OptimLAMBTests {
  static func makeLAMB(_ reference: OptimReference, _ groups: [ParameterGroup]) throws -> any Optimizer {
    var groups = groups
    groups[0].weightDecay = reference.lamb.weightDecay
    let settings = try AdamHyperparameters(
      beta1: reference.lamb.beta1, beta2: reference.lamb.beta2, epsilon: reference.lamb.eps)
    return try LAMB(groups: groups, hyperparameters: settings)
  }

  @Test func matchesPythonLAMB() throws {
    let reference = try OptimReference.load()
    try OptimAdamWTests.checkAgainstReference(reference.lamb.history, tolerance: 1e-6, makeOptimizer: Self.makeLAMB)
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

  @Test func stepScaledToWeightNorm() throws {
    // With λ = 0, r = m̂ / (√v̂ + ε) and the step is lr · ‖w‖ · r / ‖r‖, so ‖Δw‖ = lr · ‖w‖.
    let parameter = try Parameter(Tensor([3, 0, 4, 0] as [Float], shape: [2, 2]))
    try parameter.value.setGrad(Tensor([0.5, -2, 1, 3] as [Float], shape: [2, 2]))
    let group = try ParameterGroup(name: "g", parameters: [("w", parameter)])
    let optimizer = try LAMB(groups: [group])
    let before = try parameter.value.cloned()
    try optimizer.step(lr: 0.01)
    let change = try (parameter.value - before).norm().item()
    #expect(Swift.abs(change - 0.01 * 5) < 1e-6)
  }
}
