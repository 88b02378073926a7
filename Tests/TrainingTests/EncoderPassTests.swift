import ShenzhouModels
import ShenzhouTraining
import Testing

/// Activation checkpointing must give the gradients of the plain pass, dropout and attention residual included.
@Suite struct EncoderPassTests {
  func model(residual: AttentionResidualConfig?) throws -> BertForMaskedLM {
    var config = BertConfig()
    config.vocabSize = 50
    config.hiddenSize = 16
    config.numHiddenLayers = 3
    config.numAttentionHeads = 2
    config.intermediateSize = 32
    config.maxPositionEmbeddings = 16
    config.hiddenDropoutProb = 0.2
    // Attention dropout inside the fused kernel draws from the default generator, which tests running in
    // parallel share; hidden dropout draws from the pass's own generator.
    config.attentionProbsDropoutProb = 0
    config.attentionResidual = residual
    let model = try BertForMaskedLM(config: config, generator: Generator(seed: 11))
    model.train()
    return model
  }

  func gradients(checkpointing: Bool, residual: AttentionResidualConfig?, keepLayers: Set<Int>) throws
    -> (terms: LossTerms, grads: [String: [Float]])
  {
    let network = try model(residual: residual)
    let inputs = BertInputs(
      inputIds: try Tensor([2, 5, 9, 14, 33, 3, 2, 7, 8, 3, 0, 0] as [Int64], shape: [2, 6]),
      attentionMask: try Tensor([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0] as [Int64], shape: [2, 6]))
    let positions = try Tensor([1, 3, 8] as [Int64])
    let targets = try Tensor([7, 21, 4] as [Int64])
    let pass = EncoderPass(
      model: network, checkpointing: checkpointing, autocast: nil, device: .cpu, dropoutGenerator: try Generator(seed: 1234))
    let terms = try pass.run(inputs: inputs, keepLayers: keepLayers, lossScale: 1) { states in
      let hidden = try states.lastHidden.reshaped([-1, 16]).indexSelect(dim: 0, index: positions)
      var loss = try network.cls.predictions(hidden).crossEntropy(target: targets)
      for layer in keepLayers.sorted() {
        let layerHidden = try states.layers[layer]!.reshaped([-1, 16]).indexSelect(dim: 0, index: positions)
        loss = try loss + network.cls.predictions(layerHidden).crossEntropy(target: targets) * 0.5
      }
      return (loss, ["mlm": loss])
    }
    var grads: [String: [Float]] = [:]
    for (name, parameter) in network.namedParameters() {
      grads[name] = try parameter.grad?.toArray(Float.self)
    }
    return (terms, grads)
  }

  @Test(arguments: [false, true])
  func checkpointingGivesSameGradients(residual: Bool) throws {
    let config = residual ? AttentionResidualConfig(mode: .fixed, decay: [0.7]) : nil
    let plain = try gradients(checkpointing: false, residual: config, keepLayers: [1])
    let checkpointed = try gradients(checkpointing: true, residual: config, keepLayers: [1])
    #expect(Swift.abs(plain.terms.total - checkpointed.terms.total) < 1e-6)
    #expect(plain.grads.keys.sorted() == checkpointed.grads.keys.sorted())
    for (name, expected) in plain.grads {
      let actual = try #require(checkpointed.grads[name])
      let difference = zip(expected, actual).map { Swift.abs($0 - $1) }.max() ?? 0
      let scale = expected.map { Swift.abs($0) }.max() ?? 1
      #expect(difference <= 1e-5 * Swift.max(scale, 1e-3), "gradient of \(name) differs by \(difference)")
    }
  }
}
