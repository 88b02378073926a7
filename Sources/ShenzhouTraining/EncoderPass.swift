import ShenzhouModels
import ShenzhouNN

/// Encoder states passed to an objective's head: the final hidden states and the outputs of the layers it
/// asked for, all [B, T, C] and all connected to the autograd graph.
public struct EncoderStates {
  public var lastHidden: Tensor
  /// Output of layer l (1-based) for every l the objective requested.
  public var layers: [Int: Tensor]
}

/// Loss terms of one micro-batch, as plain numbers for logging.
public struct LossTerms: Sendable {
  public var total: Double
  /// Named parts such as "mlm", "kl", "layerwise".
  public var parts: [String: Double]

  public init(total: Double, parts: [String: Double]) {
    self.total = total
    self.parts = parts
  }
}

/// Computes the loss of a head from encoder states; returns the scalar to differentiate and named parts.
public typealias HeadLoss = (EncoderStates) throws -> (loss: Tensor, parts: [String: Tensor])

/// Runs the encoder forward and backward for one micro-batch, with or without activation checkpointing.
///
/// With checkpointing, layer inputs are kept and everything inside a layer is recomputed during the backward
/// sweep, layer by layer from the top. The attention-residual scores P_l are carried as a second layer output and
/// get their own gradient. The generators' states are saved before each layer and restored for its recomputation,
/// so dropout masks, and therefore gradients, equal those of a run without checkpointing.
public struct EncoderPass {
  public let model: BertForMaskedLM
  public var checkpointing: Bool
  /// Precision for autocast; nil runs in the parameters' dtype.
  public var autocast: DType?
  public var device: Device
  /// Source of dropout masks (except attention dropout inside the fused kernel, which uses the default generator).
  public var dropoutGenerator: Generator?

  public init(
    model: BertForMaskedLM, checkpointing: Bool, autocast: DType?, device: Device, dropoutGenerator: Generator? = nil
  ) {
    self.model = model
    self.checkpointing = checkpointing
    self.autocast = autocast
    self.device = device
    self.dropoutGenerator = dropoutGenerator
  }

  func underAutocast<R>(_ body: () throws -> R) throws -> R {
    guard let autocast else { return try body() }
    return try withAutocast(device: device, dtype: autocast, body)
  }

  /// Runs `body` under this pass's autocast setting (for benchmarks that time parts of a step).
  public func underAutocastForBenchmark<R>(_ body: () throws -> R) throws -> R {
    try underAutocast(body)
  }

  var usesScores: Bool { model.bert.encoder.attentionResidual != nil || model.bert.usesExplicitScores }

  /// Runs one layer; `scores` is P_(l−1) on the residual path.
  func runLayer(_ index: Int, hidden: Tensor, scores: Tensor?, fusedMask: Tensor?, additiveMask: Tensor?) throws
    -> (hidden: Tensor, scores: Tensor?)
  {
    let layer = model.bert.encoder.layers[index]
    if usesScores {
      let result = try layer.withResidualScores(
        hidden, additiveMask: additiveMask, previousScores: scores, residual: model.bert.encoder.attentionResidual,
        layer: index + 1)
      return (result.hidden, result.scores)
    }
    return (try layer(hidden, mask: fusedMask), nil)
  }

  /// Forward and backward; `lossScale` multiplies the loss before backward (gradient accumulation divides by the
  /// number of micro-batches, fp16 multiplies by the loss scale). Returns the unscaled terms.
  public func run(inputs: BertInputs, keepLayers: Set<Int>, lossScale: Double, head: HeadLoss) throws -> LossTerms {
    try withDropoutGenerator(dropoutGenerator) {
      checkpointing
        ? try runCheckpointed(inputs, keepLayers, lossScale, head) : try runPlain(inputs, keepLayers, lossScale, head)
    }
  }

  /// The states of every generator dropout may draw from, to replay a layer's masks.
  private func randomState() throws -> (default: [UInt8], dropout: [UInt8]?) {
    (try Generator.defaultCPUState(), try dropoutGenerator?.state())
  }

  private func restore(_ state: (default: [UInt8], dropout: [UInt8]?)) throws {
    try Generator.restoreDefaultCPU(state: state.default)
    if let dropout = state.dropout { try dropoutGenerator?.restore(state: dropout) }
  }

  private func masks(_ inputs: BertInputs) throws -> (fused: Tensor?, additive: Tensor?) {
    guard let mask = inputs.attentionMask else { return (nil, nil) }
    if usesScores { return (nil, try BertModel.additiveMask(mask)) }
    return (try mask.ne(0).unsqueezed(1).unsqueezed(2), nil)
  }

  private func embed(_ inputs: BertInputs) throws -> Tensor {
    let types = try inputs.tokenTypeIds ?? Tensor.zeros(inputs.inputIds.shape, dtype: .int64, device: device)
    return try model.bert.embeddings(inputIds: inputs.inputIds, tokenTypeIds: types)
  }

  private func terms(_ loss: Tensor, _ parts: [String: Tensor]) throws -> LossTerms {
    var values: [String: Double] = [:]
    for (name, value) in parts { values[name] = try value.item() }
    return LossTerms(total: try loss.item(), parts: values)
  }

  private func runPlain(_ inputs: BertInputs, _ keepLayers: Set<Int>, _ lossScale: Double, _ head: HeadLoss) throws
    -> LossTerms
  {
    let (loss, parts) = try underAutocast { () throws -> (Tensor, [String: Tensor]) in
      let (fused, additive) = try masks(inputs)
      var hidden = try embed(inputs)
      var scores: Tensor?
      var kept: [Int: Tensor] = [:]
      for index in model.bert.encoder.layers.indices {
        (hidden, scores) = try runLayer(index, hidden: hidden, scores: scores, fusedMask: fused, additiveMask: additive)
        if keepLayers.contains(index + 1) { kept[index + 1] = hidden }
      }
      return try head(EncoderStates(lastHidden: hidden, layers: kept))
    }
    try (lossScale == 1 ? loss : loss * lossScale).backward()
    return try terms(loss, parts)
  }

  private func runCheckpointed(
    _ inputs: BertInputs, _ keepLayers: Set<Int>, _ lossScale: Double, _ head: HeadLoss
  ) throws -> LossTerms {
    let layerCount = model.bert.encoder.layers.count
    let (fused, additive) = try masks(inputs)

    // 1. Embeddings with autograd; layers without, keeping each layer's inputs and generator state.
    let embedded = try underAutocast { try embed(inputs) }
    var layerInputs: [(hidden: Tensor, scores: Tensor?)] = []
    var generatorStates: [(default: [UInt8], dropout: [UInt8]?)] = []
    var hidden = try embedded.detached()
    var scores: Tensor?
    try withNoGrad {
      for index in 0..<layerCount {
        layerInputs.append((hidden, scores))
        generatorStates.append(try randomState())
        (hidden, scores) = try underAutocast {
          try runLayer(index, hidden: hidden, scores: scores, fusedMask: fused, additiveMask: additive)
        }
      }
    }

    // 2. The head on leaf copies of the layer outputs it reads.
    var leaves: [Int: Tensor] = [:]
    for layer in keepLayers.union([layerCount]) {
      let output = layer == layerCount ? hidden : layerInputs[layer].hidden  // output of layer l is input of l+1
      leaves[layer] = try output.detached().requiringGrad()
    }
    let finalLeaf = leaves[layerCount]!
    var kept: [Int: Tensor] = [:]
    for layer in keepLayers { kept[layer] = leaves[layer] }
    let (loss, parts) = try underAutocast { try head(EncoderStates(lastHidden: finalLeaf, layers: kept)) }
    try (lossScale == 1 ? loss : loss * lossScale).backward()
    let endState = try randomState()

    // 3. Backward sweep: recompute layer l with autograd and push the gradient of its outputs to its inputs.
    var hiddenGrad = try finalLeaf.grad ?? Tensor.zeros(finalLeaf.shape, dtype: finalLeaf.dtype, device: device)
    var scoresGrad: Tensor?
    for index in stride(from: layerCount - 1, through: 0, by: -1) {
      let input = layerInputs[index]
      let hiddenLeaf = try input.hidden.detached().requiringGrad()
      let scoresLeaf = try input.scores.map { try $0.detached().requiringGrad() }
      try restore(generatorStates[index])
      let output = try underAutocast {
        try runLayer(index, hidden: hiddenLeaf, scores: scoresLeaf, fusedMask: fused, additiveMask: additive)
      }
      var surrogate = try (output.hidden.to(dtype: .float32) * hiddenGrad.to(dtype: .float32)).sum()
      if let outScores = output.scores, let scoresGrad {
        surrogate = try surrogate + (outScores.to(dtype: .float32) * scoresGrad.to(dtype: .float32)).sum()
      }
      try surrogate.backward()
      hiddenGrad = try hiddenLeaf.grad ?? Tensor.zeros(hiddenLeaf.shape, dtype: hiddenLeaf.dtype, device: device)
      if index > 0, let extra = leaves[index]?.grad {  // the head also read this layer's input (layer `index` output)
        hiddenGrad = try hiddenGrad + extra
      }
      scoresGrad = scoresLeaf?.grad
    }
    try embedded.backward(gradient: hiddenGrad.to(dtype: embedded.dtype))
    try restore(endState)
    return try terms(loss, parts)
  }
}
