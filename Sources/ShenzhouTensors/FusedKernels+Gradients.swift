import CTorch

// MARK: - Multi-tensor gradient kernels

extension FusedKernels {
  /// Returns the L2 norm of all elements of `tensors` together, as a 0-d tensor on the first tensor's device.
  ///
  /// Computed as torch.nn.utils.clip_grad_norm_ computes it: one norm per tensor, then the norm of those norms,
  /// in the promoted dtype of the inputs. An empty list gives a float32 zero on the CPU. No value is copied to the
  /// host, so on CUDA the call does not wait for the device.
  public static func totalNorm(_ tensors: [Tensor]) throws -> Tensor {
    try withHandles(tensors) { handles in
      try make("total_norm", tensors) {
        sz_foreach_total_norm(UnsafeMutablePointer(mutating: handles), Int64(tensors.count), $0)
      }
    }
  }

  /// Multiplies every tensor in place by the single element of `factor`, without copying it to the host.
  public static func multiply(_ tensors: [Tensor], by factor: Tensor) throws {
    guard !tensors.isEmpty else { return }
    try withHandles(tensors) { handles in
      try check("foreach_mul_", [factor], sz_foreach_mul_tensor_(
        UnsafeMutablePointer(mutating: handles), Int64(tensors.count), factor.handle))
    }
  }

  /// Adds `value` to every tensor in place, one multi-tensor kernel per device.
  public static func add(_ tensors: [Tensor], scalar value: Double) throws {
    guard !tensors.isEmpty else { return }
    try withHandles(tensors) { handles in
      try check("foreach_add_", [], sz_foreach_add_scalar_(
        UnsafeMutablePointer(mutating: handles), Int64(tensors.count), value))
    }
  }

  /// One LAMB step over parallel lists of parameters that share one floating-point dtype and one device.
  ///
  /// `steps` are each parameter's step count including this step (1 on the first). Moments update in place, and
  /// each parameter moves by −lr · trust · r with r = m̂ / (√v̂ + eps) + weightDecay · w and trust = ‖w‖ / ‖r‖, or 1
  /// when either norm is 0. Nothing is copied to the host.
  public static func lamb(
    params: [Tensor], grads: [Tensor], expAvgs: [Tensor], expAvgSqs: [Tensor], steps: [Int],
    lr: Double, beta1: Double, beta2: Double, weightDecay: Double, eps: Double
  ) throws {
    let count = params.count
    guard grads.count == count, expAvgs.count == count, expAvgSqs.count == count, steps.count == count else {
      throw TensorError(op: "lamb", shapes: [], message: "parameter, gradient and state lists differ in length")
    }
    guard count > 0 else { return }
    let stepCounts = steps.map { Int64($0) }
    try withHandles(params) { p in
      try withHandles(grads) { g in
        try withHandles(expAvgs) { m in
          try withHandles(expAvgSqs) { v in
            try check("lamb", [], sz_foreach_lamb_(
              UnsafeMutablePointer(mutating: p), UnsafeMutablePointer(mutating: g),
              UnsafeMutablePointer(mutating: m), UnsafeMutablePointer(mutating: v),
              stepCounts, Int64(count), lr, beta1, beta2, weightDecay, eps))
          }
        }
      }
    }
  }

  /// Returns whether any element of `tensors` is inf or NaN, after multiplying every tensor by `inverseScale`.
  ///
  /// One fused check per device (torch's `_amp_foreach_non_finite_check_and_unscale_`, the kernel behind
  /// torch.amp.GradScaler). With `inverseScale` 1 the values stay as they are, so this is a pure check; a loss
  /// scaler passes 1/scale to unscale float16 gradients in the same pass. Tensors must be floating point.
  public static func nonFiniteCheckAndUnscale(_ tensors: [Tensor], inverseScale: Double = 1) throws -> Bool {
    guard !tensors.isEmpty else { return false }
    var found = false
    try withHandles(tensors) { handles in
      try check("non_finite_check", [], sz_foreach_non_finite_check_and_unscale_(
        UnsafeMutablePointer(mutating: handles), Int64(tensors.count), inverseScale, &found))
    }
    return found
  }
}
