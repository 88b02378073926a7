import Foundation
import ShenzhouModels
import ShenzhouTestSupport
import Testing

/// The cross-layer attention residual against an independent torch implementation of the encoder.
@Suite(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
struct AttentionResidualTests {
  static func tinyConfig() -> BertConfig {
    var config = BertConfig()
    config.vocabSize = 60
    config.hiddenSize = 24
    config.numHiddenLayers = 3
    config.numAttentionHeads = 3
    config.intermediateSize = 40
    config.maxPositionEmbeddings = 16
    return config
  }

  func inputs() throws -> BertInputs {
    BertInputs(
      inputIds: try Tensor([2, 5, 9, 14, 33, 3, 2, 7, 8, 3, 0, 0] as [Int64], shape: [2, 6]),
      tokenTypeIds: try Tensor([0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0] as [Int64], shape: [2, 6]),
      attentionMask: try Tensor([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0] as [Int64], shape: [2, 6]))
  }

  func hidden(_ model: BertForMaskedLM, residual: AttentionResidualConfig?) throws -> Tensor {
    var config = model.config
    config.attentionResidual = residual
    let variant = try BertForMaskedLM(config: config)
    try variant.loadStateDict(model.namedParameters().map { ($0.0, $0.1.value) }, source: "base")
    variant.eval()
    return try withNoGrad { try variant.bert(inputs()).lastHiddenState }
  }

  @Test func modesMatchIndependentTorchForward() throws {
    let model = try BertForMaskedLM(config: Self.tinyConfig(), generator: Generator(seed: 3))
    let directory = try TestEnvironment.temporaryDirectory("residual")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try model.save(to: directory)
    let batch = try inputs()
    try SafeTensorsIO.write(
      [("input_ids", batch.inputIds), ("token_type_ids", batch.tokenTypeIds!), ("attention_mask", batch.attentionMask!)],
      to: directory + "/inputs.safetensors")
    let script = TestEnvironment.repositoryRoot + "/Tests/Fixtures/residual_attention_reference.py"
    let result = try TestEnvironment.run(
      TestEnvironment.python,
      [script, directory, directory + "/inputs.safetensors", directory + "/reference.safetensors"])
    try #require(result.status == 0, "reference script failed: \(result.stderr)")
    let reference = Dictionary(
      try SafeTensorsIO.read(path: directory + "/reference.safetensors"), uniquingKeysWith: { a, _ in a })

    let cases: [(String, AttentionResidualConfig?)] = [
      ("plain", nil),
      ("fixed_0", AttentionResidualConfig(mode: .fixed, decay: [0])),
      ("fixed_1", AttentionResidualConfig(mode: .fixed, decay: [1])),
      ("fixed_0.5", AttentionResidualConfig(mode: .fixed, decay: [0.5])),
      ("per_head", AttentionResidualConfig(mode: .perHead, decay: [0.1, 0.3, 0.5])),
      ("running_mean", AttentionResidualConfig(mode: .runningMean)),
    ]
    for (name, residual) in cases {
      let ours = try hidden(model, residual: residual)
      let theirs = try #require(reference[name])
      // Padded rows are compared too: the mask is applied after accumulation, so they match as well.
      let difference = try (ours - theirs).abs().max().item()
      #expect(difference < 1e-5, "mode \(name) differs by \(difference)")
    }
  }

  @Test func decayZeroEqualsPlainAttentionExactly() throws {
    let model = try BertForMaskedLM(config: Self.tinyConfig(), generator: Generator(seed: 5))
    let plain = try {
      model.bert.usesExplicitScores = true
      defer { model.bert.usesExplicitScores = false }
      model.eval()
      return try withNoGrad { try model.bert(inputs()).lastHiddenState }
    }()
    let zero = try hidden(model, residual: AttentionResidualConfig(mode: .fixed, decay: [0]))
    #expect(try plain.toArray(Float.self) == zero.toArray(Float.self))
  }

  @Test func learnedDecayStartsAtConfiguredValueAndGetsGradient() throws {
    var config = Self.tinyConfig()
    config.attentionResidual = AttentionResidualConfig(mode: .learned, decay: [0.25])
    let model = try BertForMaskedLM(config: config, generator: Generator(seed: 1))
    let logits = try #require(model.bert.encoder.attentionResidual?.logits)
    #expect(Swift.abs(try logits.value.sigmoid().item() - 0.25) < 1e-6)
    #expect(model.namedParameters().contains { $0.0 == "bert.encoder.attention_residual_logits" })
    try model(inputs()).logits.sum().backward()
    #expect(logits.grad != nil)
  }

  @Test func invalidResidualConfigIsRejected() {
    var config = Self.tinyConfig()
    config.attentionResidual = AttentionResidualConfig(mode: .perHead, decay: [0.5])
    #expect(throws: ConfigError.self) { try config.validate() }
    config.attentionResidual = AttentionResidualConfig(mode: .learned, decay: [1.0])
    #expect(throws: ConfigError.self) { try config.validate() }
  }
}
