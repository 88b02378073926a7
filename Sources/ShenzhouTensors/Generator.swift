import CTorch

/// A libtorch random number generator with an explicit seed; its state can be saved and restored exactly.
public final class Generator: @unchecked Sendable {
  let handle: OpaquePointer

  public init(seed: UInt64, device: Device = .cpu) throws {
    var out: OpaquePointer?
    guard sz_generator_new(device.type, device.index, seed, &out) == SZ_OK, let out else {
      throw TensorError(op: "Generator(seed:)", shapes: [], message: lastShimError())
    }
    handle = out
  }

  deinit {
    sz_generator_free(handle)
  }

  public func reseed(_ seed: UInt64) throws {
    try check("Generator.reseed", [], sz_generator_set_seed(handle, seed))
  }

  /// The full generator state as bytes, for checkpoints.
  public func state() throws -> [UInt8] {
    let tensor = try make("Generator.state", []) { sz_generator_get_state(handle, $0) }
    return try tensor.toArray(UInt8.self)
  }

  public func restore(state: [UInt8]) throws {
    let tensor = try Tensor(state)
    try check("Generator.restore", [tensor], sz_generator_set_state(handle, tensor.handle))
  }

  /// State of libtorch's default CPU generator, which ops without an explicit generator draw from.
  public static func defaultCPUState() throws -> [UInt8] {
    let tensor = try make("defaultCPUState", []) { sz_generator_get_state(nil, $0) }
    return try tensor.toArray(UInt8.self)
  }

  public static func restoreDefaultCPU(state: [UInt8]) throws {
    let tensor = try Tensor(state)
    try check("restoreDefaultCPU", [tensor], sz_generator_set_state(nil, tensor.handle))
  }
}

/// Runs `body` with dropout on this thread drawing its masks from `generator` (unless an op passes its own), so a
/// training loop's dropout is reproducible whatever other threads draw from the default generator.
/// Attention dropout inside the fused attention kernel still uses the default generator.
public func withDropoutGenerator<R>(_ generator: Generator?, _ body: () throws -> R) rethrows -> R {
  let previous = sz_set_thread_dropout_generator(generator?.handle)
  defer { _ = sz_set_thread_dropout_generator(previous) }
  return try withExtendedLifetime(generator) { try body() }
}
