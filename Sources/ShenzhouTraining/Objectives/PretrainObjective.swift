import ShenzhouData
import ShenzhouModels
import ShenzhouNN

/// The composed pretraining objective: MLM on the masked positions, plus the optional Shenzhou terms
/// (R-Drop or a momentum teacher, layer-wise self-distillation, and partially autoregressive k-group MLM).
public struct PretrainObjective {
  public let model: BertForMaskedLM
  public var teacher: BertForMaskedLM?
  public var rdropAlpha: Double
  public var emaAlpha: Double
  public var layerwiseLayers: [Int]
  public var layerwiseWeights: [Double]
  public var layerwiseTemperature: Double
  public var autoregressiveGroups: Int
  public var device: Device

  /// One micro-batch as tensors.
  struct MicroBatch {
    var inputs: BertInputs
    /// Flat indices (row × T + column) of the predicted positions, int64 [N].
    var positions: Tensor
    /// Original token ids at those positions, int64 [N].
    var targets: Tensor
    /// This micro-batch's share of the step loss.
    var weight: Double
  }

  /// Runs forward and backward for one loader batch and returns its loss terms (unscaled, weighted as in the
  /// loss). `lossScale` multiplies the loss before backward. `groupSeed` orders the k-group split.
  public func run(batch: PretrainingBatch, pass: EncoderPass, lossScale: Double, groupSeed: UInt64) throws
    -> LossTerms?
  {
    guard !batch.maskedPositions.isEmpty else { return nil }
    // A damaged shard can contain ids outside the vocabulary, so report that instead of failing in the embedding lookup.
    let vocabularySize = Int32(model.config.vocabSize)
    if let bad = batch.inputIDs.first(where: { $0 < 0 || $0 >= vocabularySize }) {
      throw PretrainConfigError(
        source: "data.corpus", key: "token ids",
        message: "the batch contains token id \(bad), outside the model's vocabulary of \(vocabularySize); the shards are "
          + "damaged or were prepared with another vocabulary. Prepare the corpus again")
    }
    let shape = [batch.batchSize, batch.sequenceLength]
    let ids = try Tensor(batch.inputIDs.map(Int64.init), shape: shape).to(device: device)
    let types = try Tensor(batch.tokenTypeIDs.map(Int64.init), shape: shape).to(device: device)
    let mask = try Tensor(batch.attentionMask.map(Int64.init), shape: shape).to(device: device)
    let originals = batch.maskedPositions.map { batch.labels[Int($0)] }

    var total = LossTerms(total: 0, parts: [:])
    for group in groups(count: batch.maskedPositions.count, seed: groupSeed) {
      // Positions of earlier groups are revealed: their original tokens go back into the input.
      var groupIds = ids
      if group.revealed.count > 0 {
        let revealedPositions = try Tensor(group.revealed.map { batch.maskedPositions[$0] })
        let revealedTokens = try Tensor(group.revealed.map { originals[$0] })
        groupIds = try ids.reshaped([-1]).scatter(
          dim: 0, index: revealedPositions.to(device: device), source: revealedTokens.to(device: device)
        ).reshaped(shape)
      }
      let micro = MicroBatch(
        inputs: BertInputs(inputIds: groupIds, tokenTypeIds: types, attentionMask: mask),
        positions: try Tensor(group.predicted.map { batch.maskedPositions[$0] }).to(device: device),
        targets: try Tensor(group.predicted.map { originals[$0] }).to(device: device),
        weight: Double(group.predicted.count) / Double(batch.maskedPositions.count))
      let terms = try run(micro, pass: pass, lossScale: lossScale)
      total.total += terms.total
      for (name, value) in terms.parts { total.parts[name, default: 0] += value }
    }
    return total
  }

  /// One pass of partially autoregressive MLM: the masked positions it predicts and the ones it reveals, as
  /// indices into the batch's masked positions.
  public struct Group: Sendable, Equatable {
    public var predicted: [Int]
    public var revealed: [Int]

    public init(predicted: [Int], revealed: [Int]) {
      self.predicted = predicted
      self.revealed = revealed
    }
  }

  func groups(count: Int, seed: UInt64) -> [Group] {
    Self.autoregressiveGroups(count: count, groups: autoregressiveGroups, seed: seed)
  }

  /// Splits the indices 0..<count into k groups in a random order (fixed by `seed`); group g is predicted with
  /// groups 0..<g revealed (their original tokens put back) and groups g... still masked.
  public static func autoregressiveGroups(count: Int, groups autoregressiveGroups: Int, seed: UInt64) -> [Group] {
    let k = Swift.min(autoregressiveGroups, count)
    guard k > 1 else { return [Group(predicted: Array(0..<count), revealed: [])] }
    var generator = SplitMix64(seed: seed)
    var order = Array(0..<count)
    for index in stride(from: count - 1, to: 0, by: -1) {
      let other = Int(generator.next() % UInt64(index + 1))
      order.swapAt(index, other)
    }
    var result: [Group] = []
    var revealed: [Int] = []
    for g in 0..<k {
      let slice = Array(order[(g * count / k)..<((g + 1) * count / k)]).sorted()
      result.append(Group(predicted: slice, revealed: revealed.sorted()))
      revealed += slice
    }
    return result
  }

  func run(_ micro: MicroBatch, pass: EncoderPass, lossScale: Double) throws -> LossTerms {
    let hiddenSize = model.config.hiddenSize
    let rows = micro.inputs.inputIds.shape[0] * micro.inputs.inputIds.shape[1]
    var inputs = micro.inputs
    var positions = micro.positions
    var targets = micro.targets
    let count = micro.positions.count
    if rdropAlpha > 0 {
      // Both dropout passes as one forward over the batch concatenated with itself.
      inputs = BertInputs(
        inputIds: try Tensor.cat([inputs.inputIds, inputs.inputIds]),
        tokenTypeIds: try inputs.tokenTypeIds.map { try Tensor.cat([$0, $0]) },
        attentionMask: try inputs.attentionMask.map { try Tensor.cat([$0, $0]) })
      positions = try Tensor.cat([positions, (positions + Double(rows)).to(dtype: .int64)])
      targets = try Tensor.cat([targets, targets])
    }
    let teacherLogits: Tensor? = try teacher.map { teacher in
      try withNoGrad {
        let hidden = try teacher.bert(micro.inputs).lastHiddenState.reshaped([-1, hiddenSize])
        return try teacher.cls.predictions(hidden.indexSelect(dim: 0, index: micro.positions))
      }
    }

    let head: HeadLoss = { states in
      let hidden = try states.lastHidden.reshaped([-1, hiddenSize]).indexSelect(dim: 0, index: positions)
      let logits = try model.cls.predictions(hidden)  // [N, V] (or [2N, V] with R-Drop)
      var parts: [String: Tensor] = [:]
      var loss: Tensor
      if rdropAlpha > 0 {
        let first = try logits.slice(dim: 0, start: 0, end: count)
        let second = try logits.slice(dim: 0, start: count, end: 2 * count)
        let result = try DistillationLosses.rDrop(
          logits1: first, logits2: second, targets: micro.targets, alpha: rdropAlpha)
        (loss, parts["mlm"], parts["rdrop_kl"]) = (result.loss, result.crossEntropy, result.kl)
      } else if let teacherLogits, emaAlpha > 0 {
        let result = try DistillationLosses.emaTeacher(
          studentLogits: logits, teacherLogits: teacherLogits, targets: targets, alpha: emaAlpha)
        (loss, parts["mlm"], parts["ema_kl"]) = (result.loss, result.crossEntropy, result.kl)
      } else {
        loss = try logits.crossEntropy(target: targets)
        parts["mlm"] = loss
      }
      if !layerwiseLayers.isEmpty {
        let layerLogits = try layerwiseLayers.map { layer in
          let layerHidden = try (states.layers[layer] ?? states.lastHidden).reshaped([-1, hiddenSize]).indexSelect(dim: 0, index: positions)
          return try model.cls.predictions(layerHidden)
        }
        let term = try DistillationLosses.layerwise(
          layerLogits: layerLogits, finalLogits: logits, weights: layerwiseWeights, temperature: layerwiseTemperature)
        parts["layerwise"] = term
        loss = try loss + term
      }
      let weighted = micro.weight == 1 ? loss : try loss * micro.weight
      var weightedParts: [String: Tensor] = [:]
      for (name, value) in parts { weightedParts[name] = micro.weight == 1 ? value : try value * micro.weight }
      return (weighted, weightedParts)
    }
    let keep = Set(layerwiseLayers.filter { $0 < model.config.numHiddenLayers })
    return try pass.run(inputs: inputs, keepLayers: keep, lossScale: lossScale, head: head)
  }
}
