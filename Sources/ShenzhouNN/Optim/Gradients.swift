// Gradient clipping, scaling and non-finite checks over lists of parameters.
//
// Parameters without a gradient (none computed yet, or frozen) are skipped by every function here.

// MARK: - Clipping

/// Scales all gradients so that their global L2 norm is at most `maxNorm`, and returns the norm before clipping.
///
/// Computes what torch.nn.utils.clip_grad_norm_ computes: coefficient = maxNorm / (norm + 1e-6), clamped to at
/// most 1, multiplied into every gradient. With a non-finite norm the gradients become non-finite too, as in
/// torch with `error_if_nonfinite=False`; check `hasNonFiniteGradients` first to skip such a step. Returns 0
/// when no parameter has a gradient.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Double) throws -> Double {
  try OptimizerError.requireNonNegative(maxNorm, "max_norm")
  let grads = gradients(of: parameters)
  guard !grads.isEmpty else { return 0 }
  let norm = try FusedKernels.totalNorm(grads)
  try scaleGradients(grads, toMaxNorm: maxNorm, totalNorm: norm)
  return try norm.item()
}

/// Scales `grads` by min(1, maxNorm / (totalNorm + 1e-6)), computed on the device without a host copy.
///
/// A sharded strategy passes the global norm, the square root of the all-reduced squared local norms.
public func scaleGradients(_ grads: [Tensor], toMaxNorm maxNorm: Double, totalNorm: Tensor) throws {
  let limit = try Tensor.full([], value: maxNorm, dtype: totalNorm.dtype, device: totalNorm.device)
  let coefficient = try (limit / (totalNorm + 1e-6)).clamp(min: -Double.infinity, max: 1)
  try FusedKernels.multiply(grads, by: coefficient)
}

/// Returns the global L2 norm of all gradients, as a 0-d tensor on the device of the first gradient, without
/// clipping.
public func gradNorm(_ parameters: [Parameter]) throws -> Tensor {
  try FusedKernels.totalNorm(gradients(of: parameters))
}

// MARK: - Non-finite check

/// Returns whether any gradient element is inf or NaN, with one fused check per device that leaves the
/// gradients unchanged.
///
/// A trainer skips the optimizer step when this returns true (and, with float16 loss scaling, lowers the scale).
/// The call copies one flag per device to the host, so on CUDA it waits for the backward pass to finish.
public func hasNonFiniteGradients(_ parameters: [Parameter]) throws -> Bool {
  try FusedKernels.nonFiniteCheckAndUnscale(gradients(of: parameters), inverseScale: 1)
}

// MARK: - Accumulation

/// Multiplies every gradient by `factor` in place.
///
/// Gradient accumulation over k micro-batches gives the gradient of one batch k times as large in either of two
/// ways. Dividing each micro-batch's mean loss by k before `backward()` needs nothing from this function, and is
/// exact when every micro-batch has the same number of loss terms. When the counts differ (masked-LM batches
/// with different numbers of masked tokens), sum each micro-batch's loss instead, accumulate, and call this with
/// 1 / (total loss terms over the k micro-batches) before clipping and stepping.
public func scaleGradients(_ parameters: [Parameter], by factor: Double) throws {
  try OptimizerError.requireFinite(factor, "gradient scale factor")
  let grads = gradients(of: parameters)
  guard !grads.isEmpty else { return }
  let scale = try Tensor.full([], value: factor, dtype: .float64)
  try FusedKernels.multiply(grads, by: scale)
}

/// Returns the gradients of trainable parameters that have one.
func gradients(of parameters: [Parameter]) -> [Tensor] {
  parameters.compactMap { $0.isFrozen ? nil : $0.grad }
}
