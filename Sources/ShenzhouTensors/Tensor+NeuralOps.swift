import CTorch

/// How a loss reduces over elements.
public enum Reduction: Sendable {
  case none, mean, sum

  var code: SZReduction {
    switch self {
    case .none: SZ_REDUCTION_NONE
    case .mean: SZ_REDUCTION_MEAN
    case .sum: SZ_REDUCTION_SUM
    }
  }
}

extension Tensor {
  // MARK: - Normalization and activations

  public func softmax(dim: Int) throws -> Tensor {
    try make("softmax(dim: \(dim))", [self]) { sz_tensor_softmax(handle, Int64(dim), $0) }
  }

  public func logSoftmax(dim: Int) throws -> Tensor {
    try make("log_softmax(dim: \(dim))", [self]) { sz_tensor_log_softmax(handle, Int64(dim), $0) }
  }

  /// Layer normalization over the last `normalizedDims` dimensions with optional affine weight and bias.
  public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Double, normalizedDims: Int = 1) throws -> Tensor {
    let inputs = [self] + [weight, bias].compactMap { $0 }
    return try make("layer_norm", inputs) {
      sz_tensor_layer_norm(handle, Int64(normalizedDims), weight?.handle, bias?.handle, eps, $0)
    }
  }

  /// Inverted dropout: zeroes elements with probability `p` and scales the rest by 1/(1-p) when `training`.
  /// With a `generator` the mask is drawn from it, which makes runs reproducible independently of other ops.
  public func dropout(p: Double, training: Bool, generator: Generator? = nil) throws -> Tensor {
    try make("dropout(p: \(p))", [self]) { sz_tensor_dropout(handle, p, training, generator?.handle, $0) }
  }

  // MARK: - Lookup and attention

  /// Rows of `weight` ([V, C]) at integer `indices`, giving indices.shape + [C]. The `paddingIndex` row, when
  /// given, receives no gradient.
  public static func embedding(_ weight: Tensor, indices: Tensor, paddingIndex: Int? = nil) throws -> Tensor {
    try make("embedding", [weight, indices]) {
      sz_tensor_embedding(weight.handle, indices.handle, Int64(paddingIndex ?? -1), $0)
    }
  }

  /// softmax(Q Kᵀ · scale + mask) V over [B, NH, T, HS] inputs through libtorch's fused kernel.
  /// `mask` is boolean (true = attend) or additive, broadcastable to [B, NH, T, T]; `scale` nil means 1/√HS.
  public static func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, mask: Tensor?, dropout: Double = 0, causal: Bool = false,
    scale: Double? = nil
  ) throws -> Tensor {
    let inputs = [query, key, value] + (mask.map { [$0] } ?? [])
    return try make("scaled_dot_product_attention", inputs) {
      sz_tensor_sdpa(query.handle, key.handle, value.handle, mask?.handle, dropout, causal, scale ?? 0, $0)
    }
  }

  // MARK: - Losses

  /// Cross entropy of `self` (logits [N, C]) against class indices [N]; targets equal to `ignoreIndex` add
  /// nothing and are left out of the mean.
  public func crossEntropy(
    target: Tensor, ignoreIndex: Int = -100, reduction: Reduction = .mean, labelSmoothing: Double = 0
  ) throws -> Tensor {
    try make("cross_entropy", [self, target]) {
      sz_tensor_cross_entropy(handle, target.handle, Int64(ignoreIndex), reduction.code, labelSmoothing, $0)
    }
  }

  /// KL(target ‖ input) with both given as log-probabilities, elementwise `exp(t)·(t − x)` then reduced.
  public func klDivergence(logTarget: Tensor, reduction: Reduction = .sum) throws -> Tensor {
    try make("kl_div", [self, logTarget]) {
      sz_tensor_kl_div_log_target(handle, logTarget.handle, reduction.code, $0)
    }
  }
}
