import ShenzhouNN

/// Loss terms of the Shenzhou pretraining objectives, as pure functions of logits so that each can be checked
/// against an independent computation. Logits are [N, V] over the N masked positions; every KL term is summed over
/// the vocabulary and averaged over the N positions.
public enum DistillationLosses {
  /// Mean over positions of KL(p ‖ q) = Σ_v p_v (log p_v − log q_v), from log-probabilities.
  public static func meanKL(logP: Tensor, logQ: Tensor) throws -> Tensor {
    let positions = Swift.max(logP.shape.first ?? 1, 1)
    return try logQ.klDivergence(logTarget: logP, reduction: .sum) / Double(positions)
  }

  /// R-Drop: two dropout passes of the same masked batch.
  ///
  /// loss = ½(CE(z₁, y) + CE(z₂, y)) + α · ½(KL(p₁‖p₂) + KL(p₂‖p₁))
  public static func rDrop(logits1: Tensor, logits2: Tensor, targets: Tensor, alpha: Double) throws
    -> (loss: Tensor, crossEntropy: Tensor, kl: Tensor)
  {
    let crossEntropy = try (logits1.crossEntropy(target: targets) + logits2.crossEntropy(target: targets)) * 0.5
    let log1 = try logits1.to(dtype: .float32).logSoftmax(dim: -1)
    let log2 = try logits2.to(dtype: .float32).logSoftmax(dim: -1)
    let kl = try (meanKL(logP: log1, logQ: log2) + meanKL(logP: log2, logQ: log1)) * 0.5
    return (try crossEntropy + kl * alpha, crossEntropy, kl)
  }

  /// Momentum-teacher distillation: loss = (1 − α)·CE(z_s, y) + α·KL(p_t ‖ p_s), with the teacher detached.
  public static func emaTeacher(studentLogits: Tensor, teacherLogits: Tensor, targets: Tensor, alpha: Double) throws
    -> (loss: Tensor, crossEntropy: Tensor, kl: Tensor)
  {
    let crossEntropy = try studentLogits.crossEntropy(target: targets)
    let teacher = try teacherLogits.detached().to(dtype: .float32).logSoftmax(dim: -1)
    let student = try studentLogits.to(dtype: .float32).logSoftmax(dim: -1)
    let kl = try meanKL(logP: teacher, logQ: student)
    return (try crossEntropy * (1 - alpha) + kl * alpha, crossEntropy, kl)
  }

  /// Layer-wise self-distillation: Σ_l w_l · T² · KL(softmax(z_final/T) ‖ softmax(z_l/T)), with the final layer's
  /// distribution as a stop-gradient target.
  public static func layerwise(layerLogits: [Tensor], finalLogits: Tensor, weights: [Double], temperature: Double)
    throws -> Tensor
  {
    guard layerLogits.count == weights.count else {
      throw TensorError(
        op: "layerwise distillation", shapes: [],
        message: "\(layerLogits.count) layers were chosen but \(weights.count) weights were given")
    }
    let target = try (finalLogits.detached().to(dtype: .float32) / temperature).logSoftmax(dim: -1)
    var total: Tensor?
    for (logits, weight) in zip(layerLogits, weights) {
      let student = try (logits.to(dtype: .float32) / temperature).logSoftmax(dim: -1)
      let term = try meanKL(logP: target, logQ: student) * (weight * temperature * temperature)
      total = try total.map { try $0 + term } ?? term
    }
    return try total ?? Tensor(scalar: Float(0))
  }
}
