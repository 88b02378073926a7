import Testing
import ShenzhouNN

@Suite struct OptimGroupTests {
  @Test(arguments: [
    ("bert.encoder.layer.0.attention.self.query.weight", [768, 768], false),
    ("bert.encoder.layer.0.attention.self.query.bias", [768], true),
    ("bert.embeddings.LayerNorm.weight", [768], true),
    ("bert.embeddings.word_embeddings.weight", [21128, 768], false),
    ("cls.predictions.bias", [21128], true),
    ("bias", [3, 3], true),
    ("head.bias", [3, 3], true),
    ("model.LayerNorm.gamma", [4, 4], true),
    ("model.final_layer_norm.weight", [4, 4], true),
    ("model.scale", [], true),
    ("model.projection", [4, 4], false),
    ("model.unbiased.weight", [4, 4], false),
  ])
  func noDecayRule(name: String, shape: [Int], expected: Bool) {
    #expect(ParameterGroup.isNoDecay(name: name, shape: shape) == expected)
  }

  @Test func frozenParametersLeftOut() throws {
    let model = try makeReferenceModel()
    let groups = try ParameterGroup.decayGroups(of: model, weightDecay: 0.01)
    let names = groups.flatMap { $0.parameters.map(\.name) }
    #expect(!names.contains("pooler.dense.weight"))
    #expect(names.count == 5)
  }

  @Test func emptyModelKeepsBothGroups() throws {
    let groups = try ParameterGroup.decayGroups([], weightDecay: 0.01)
    #expect(groups.map(\.name) == ["decay", "no_decay"])
    #expect(groups.allSatisfy { $0.parameters.isEmpty })
    let optimizer = try AdamW(groups: groups)
    try optimizer.step(lr: 0.1)
    #expect(optimizer.stepCount == 1)
  }

  @Test func lrScaleMultipliesRate() throws {
    let scaled = try Parameter(Tensor.ones([2, 2]))
    let plain = try Parameter(Tensor.ones([2, 2]))
    let optimizer = try AdamW(groups: [
      try ParameterGroup(name: "scaled", parameters: [("a", scaled)], lrScale: 0.5),
      try ParameterGroup(name: "plain", parameters: [("b", plain)]),
    ])
    try scaled.value.setGrad(Tensor.ones([2, 2]))
    try plain.value.setGrad(Tensor.ones([2, 2]))
    try optimizer.step(lr: 0.2)
    // The first step moves each element by lr / (1 + ε).
    #expect(try maxAbsoluteDifference(scaled.value, Array(repeating: 1 - 0.1 / (1 + 1e-8), count: 4)) < 1e-7)
    #expect(try maxAbsoluteDifference(plain.value, Array(repeating: 1 - 0.2 / (1 + 1e-8), count: 4)) < 1e-7)
  }
}
