import CTorch

/// Process-wide libtorch settings and counters.
public enum Runtime {
  /// The libtorch version the shim was compiled against.
  public static var torchVersion: String { String(cString: sz_torch_version()) }

  public static var isCUDAAvailable: Bool { sz_cuda_is_available() }
  public static var cudaDeviceCount: Int { Int(sz_cuda_device_count()) }

  /// Tensor handles alive in this process; a leak shows as steady growth across training steps.
  public static var liveTensorCount: Int { Int(sz_live_tensor_count()) }

  /// Intra-op threads libtorch uses for one op.
  public static var threadCount: Int {
    get { Int(sz_get_num_threads()) }
  }

  public static func setThreadCount(_ count: Int) throws {
    try check("set_num_threads", [], sz_set_num_threads(Int64(count)))
  }

  /// Seeds libtorch's default generators (CPU, and CUDA when present).
  public static func manualSeed(_ seed: UInt64) throws {
    try check("manual_seed", [], sz_manual_seed(seed))
  }

  /// Checks that `device` can be used, with a clear error when CUDA is requested on a build or machine without it.
  public static func validate(_ device: Device) throws {
    do {
      _ = try Tensor.zeros([1], device: device)
    } catch let error as TensorError {
      throw TensorError(op: "device \(device)", shapes: [], message: error.message)
    }
  }
}

/// Optimizer kernels that work on lists of tensors at once.
public enum FusedKernels {
  /// One AdamW step (decoupled weight decay) over parallel lists. `steps` are float32 scalars that the kernel reads
  /// as the current step count but does not advance, so callers add 1 first, as torch.optim does.
  public static func adamW(
    params: [Tensor], grads: [Tensor], expAvgs: [Tensor], expAvgSqs: [Tensor], steps: [Tensor],
    lr: Double, beta1: Double, beta2: Double, weightDecay: Double, eps: Double
  ) throws {
    let count = params.count
    guard grads.count == count, expAvgs.count == count, expAvgSqs.count == count, steps.count == count else {
      throw TensorError(op: "fused_adamw", shapes: [], message: "parameter, gradient and state lists differ in length")
    }
    guard count > 0 else { return }
    try withHandles(params) { p in
      try withHandles(grads) { g in
        try withHandles(expAvgs) { m in
          try withHandles(expAvgSqs) { v in
            try withHandles(steps) { s in
              try check("fused_adamw", [], sz_fused_adamw(
                UnsafeMutablePointer(mutating: p), UnsafeMutablePointer(mutating: g),
                UnsafeMutablePointer(mutating: m), UnsafeMutablePointer(mutating: v),
                UnsafeMutablePointer(mutating: s), Int64(count), lr, beta1, beta2, weightDecay, eps))
            }
          }
        }
      }
    }
  }

  /// Σ‖t‖² over the tensors, as a float32 scalar tensor (for clipping by global norm).
  public static func totalNormSquared(_ tensors: [Tensor]) throws -> Tensor {
    try withHandles(tensors) { handles in
      try make("total_norm", tensors) {
        sz_total_norm_squared(UnsafeMutablePointer(mutating: handles), Int64(tensors.count), $0)
      }
    }
  }
}

/// Loads a `torch.save` state dict such as pytorch_model.bin through libtorch's pickle reader.
public func loadPickledStateDict(path: String) throws -> [(String, Tensor)] {
  final class Collector {
    var entries: [(String, Tensor)] = []
  }
  let collector = Collector()
  let status = withExtendedLifetime(collector) {
    sz_load_pickled_state_dict(path, Unmanaged.passUnretained(collector).toOpaque()) { context, name, tensor in
      guard let context, let name, let tensor else { return }
      let target = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
      target.entries.append((String(cString: name), Tensor(owning: tensor)))
    }
  }
  try check("load \(path)", [], status)
  return collector.entries
}
