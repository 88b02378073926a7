import ShenzhouNN
import Testing

@Suite struct ModuleTests {
  final class TwoLayer: Module, @unchecked Sendable {
    let first: Linear
    let norm: LayerNorm
    let dropout = Dropout(probability: 0.5)

    init(seed: UInt64) throws {
      first = try Linear(inFeatures: 4, outFeatures: 3, generator: Generator(seed: seed))
      norm = try LayerNorm(dimension: 3, eps: 1e-5)
      super.init()
    }

    override var children: [(String, Module)] { [("dense", first), ("LayerNorm", norm), ("dropout", dropout)] }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try dropout(norm(first(x))) }
  }

  @Test func parameterNamesFollowTheTree() throws {
    let model = try TwoLayer(seed: 1)
    #expect(model.namedParameters().map(\.0) == ["dense.weight", "dense.bias", "LayerNorm.weight", "LayerNorm.bias"])
    #expect(model.parameterCount == 12 + 3 + 3 + 3)
  }

  @Test func evalModeDisablesDropout() throws {
    let model = try TwoLayer(seed: 1)
    let x = try Tensor.randn([8, 4])
    model.eval()
    #expect(model.dropout.isTraining == false)
    #expect(try model(x).toArray(Float.self) == model(x).toArray(Float.self))
    model.train()
    #expect(try model(x).eq(0).any().item() == 1)
  }

  @Test func frozenParametersGetNoGradientAndNoGroup() throws {
    let model = try TwoLayer(seed: 1)
    try model.first.freeze()
    try model(Tensor.randn([2, 4])).sum().backward()
    #expect(model.first.weight.grad == nil)
    #expect(model.norm.weight.grad != nil)
    let groups = try ParameterGroup.decayGroups(of: model, weightDecay: 0.01)
    let names = groups.flatMap { $0.parameters.map(\.name) }
    #expect(!names.contains("dense.weight"))
    #expect(names.contains("LayerNorm.weight"))
  }

  @Test func convertChangesDtype() throws {
    let model = try TwoLayer(seed: 1)
    try model.convert(dtype: .bfloat16)
    #expect(model.first.weight.value.dtype == .bfloat16)
    #expect(model.first.weight.value.requiresGrad)
  }
}
