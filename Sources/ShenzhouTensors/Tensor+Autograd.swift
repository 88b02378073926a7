import CTorch

extension Tensor {
  // MARK: - Gradients

  /// Marks the tensor as a leaf whose gradient autograd accumulates.
  @discardableResult
  public func requiringGrad(_ flag: Bool = true) throws -> Tensor {
    try check("requires_grad", [self], sz_tensor_set_requires_grad(handle, flag))
    return self
  }

  /// Back-propagates from this tensor; a non-scalar output needs `gradient` of its own shape.
  public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
    let inputs = [self] + (gradient.map { [$0] } ?? [])
    try check("backward", inputs, sz_tensor_backward(handle, gradient?.handle, retainGraph))
  }

  /// The accumulated gradient, or nil before any backward pass reached this tensor.
  public var grad: Tensor? {
    var out: OpaquePointer?
    guard sz_tensor_grad(handle, &out) == SZ_OK, let out else { return nil }
    return Tensor(owning: out)
  }

  public func setGrad(_ gradient: Tensor?) throws {
    try check("set_grad", [self], sz_tensor_set_grad(handle, gradient?.handle))
  }

  /// Drops the accumulated gradient (as `zero_grad(set_to_none=True)`).
  public func zeroGrad() throws {
    try check("zero_grad", [self], sz_tensor_zero_grad(handle))
  }

  /// A tensor sharing storage but cut from the autograd graph.
  public func detached() throws -> Tensor {
    try make("detach", [self]) { sz_tensor_detach(handle, $0) }
  }

  public func cloned() throws -> Tensor {
    try make("clone", [self]) { sz_tensor_clone(handle, $0) }
  }

  // MARK: - In-place updates outside autograd

  /// Copies `source` into this tensor's storage (converting dtype and device); shapes must be equal.
  public func assign(_ source: Tensor) throws {
    try check("assign", [self, source], sz_tensor_copy_(handle, source.handle))
  }

  public func fill(_ value: Double) throws {
    try check("fill", [self], sz_tensor_fill_(handle, value))
  }

  /// self += alpha · other, in place.
  public func addScaled(_ other: Tensor, alpha: Double) throws {
    try check("add_", [self, other], sz_tensor_add_scaled_(handle, other.handle, alpha))
  }

  public func scale(by value: Double) throws {
    try check("mul_", [self], sz_tensor_mul_scalar_(handle, value))
  }
}

// MARK: - Scopes

/// Runs `body` with gradient recording off, restoring the previous setting afterwards.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
  let previous = sz_set_grad_enabled(false)
  defer { _ = sz_set_grad_enabled(previous) }
  return try body()
}

/// Runs `body` with gradient recording on, for code that needs autograd inside a no-grad region.
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
  let previous = sz_set_grad_enabled(true)
  defer { _ = sz_set_grad_enabled(previous) }
  return try body()
}

public var isGradEnabled: Bool { sz_is_grad_enabled() }

/// Runs `body` under autocast: eligible ops (matmul, linear, attention) compute in `dtype` on `device`, and
/// precision-sensitive ops (softmax, layer norm, losses) stay in float32, as in torch.autocast.
/// bfloat16 works on CPU and CUDA; float16 needs CUDA.
public func withAutocast<R>(device: Device = .cpu, dtype: DType = .bfloat16, _ body: () throws -> R) throws -> R {
  if dtype == .float16, device == .cpu {
    throw TensorError(op: "autocast", shapes: [], message: "float16 autocast needs a CUDA device; use bfloat16 on CPU")
  }
  try check("autocast", [], sz_autocast_enter(device.type, dtype.code))
  defer { _ = sz_autocast_exit(device.type) }
  return try body()
}
