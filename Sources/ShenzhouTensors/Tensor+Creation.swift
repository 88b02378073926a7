import CTorch

/// Element types that can be copied between Swift arrays and tensors.
public protocol TensorScalar: Sendable {
  static var dtype: DType { get }
}

extension Float: TensorScalar { public static var dtype: DType { .float32 } }
extension Double: TensorScalar { public static var dtype: DType { .float64 } }
extension Int64: TensorScalar { public static var dtype: DType { .int64 } }
extension Int32: TensorScalar { public static var dtype: DType { .int32 } }
extension Int16: TensorScalar { public static var dtype: DType { .int16 } }
extension Int8: TensorScalar { public static var dtype: DType { .int8 } }
extension UInt8: TensorScalar { public static var dtype: DType { .uint8 } }
extension Bool: TensorScalar { public static var dtype: DType { .bool } }

extension Tensor {
  // MARK: - From host memory

  /// Copies `values` into a new CPU tensor of the given shape (a 1-D tensor when `shape` is nil).
  public convenience init<T: TensorScalar>(_ values: [T], shape: [Int]? = nil) throws {
    let dims = shape ?? [values.count]
    let sizes = dims.map { Int64($0) }
    var out: OpaquePointer?
    let status = values.withUnsafeBytes { bytes in
      sz_tensor_from_blob(bytes.baseAddress, bytes.count, sizes, Int64(sizes.count), T.dtype.code, &out)
    }
    guard status == SZ_OK, let handle = out else {
      throw TensorError(op: "Tensor(values:shape:)", shapes: [dims], message: lastShimError())
    }
    self.init(owning: handle)
  }

  /// Copies raw bytes laid out as a contiguous tensor of `dtype` and `shape` (used for checkpoint loading).
  public convenience init(bytes: UnsafeRawBufferPointer, dtype: DType, shape: [Int]) throws {
    let sizes = shape.map { Int64($0) }
    var out: OpaquePointer?
    let status = sz_tensor_from_blob(bytes.baseAddress, bytes.count, sizes, Int64(sizes.count), dtype.code, &out)
    guard status == SZ_OK, let handle = out else {
      throw TensorError(op: "Tensor(bytes:dtype:shape:)", shapes: [shape], message: lastShimError())
    }
    self.init(owning: handle)
  }

  /// A rank-0 tensor holding `value`.
  public convenience init<T: TensorScalar>(scalar value: T) throws {
    try self.init([value], shape: [])
  }

  // MARK: - Filled tensors

  public static func full(_ shape: [Int], value: Double, dtype: DType = .float32, device: Device = .cpu) throws
    -> Tensor
  {
    let sizes = shape.map { Int64($0) }
    return try make("full", []) {
      sz_tensor_full(sizes, Int64(sizes.count), value, dtype.code, device.type, device.index, $0)
    }
  }

  public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
    try full(shape, value: 0, dtype: dtype, device: device)
  }

  public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
    try full(shape, value: 1, dtype: dtype, device: device)
  }

  /// Values start, start + step, … below end.
  public static func arange(
    _ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .int64, device: Device = .cpu
  ) throws -> Tensor {
    try make("arange", []) { sz_tensor_arange(start, end, step, dtype.code, device.type, device.index, $0) }
  }

  // MARK: - Random tensors

  /// Standard normal samples, from `generator` or the default generator of the device.
  public static func randn(
    _ shape: [Int], dtype: DType = .float32, device: Device = .cpu, generator: Generator? = nil
  ) throws -> Tensor {
    let sizes = shape.map { Int64($0) }
    return try make("randn", []) {
      sz_tensor_random(0, sizes, Int64(sizes.count), dtype.code, device.type, device.index, generator?.handle, $0)
    }
  }

  /// Uniform samples in [0, 1).
  public static func rand(
    _ shape: [Int], dtype: DType = .float32, device: Device = .cpu, generator: Generator? = nil
  ) throws -> Tensor {
    let sizes = shape.map { Int64($0) }
    return try make("rand", []) {
      sz_tensor_random(1, sizes, Int64(sizes.count), dtype.code, device.type, device.index, generator?.handle, $0)
    }
  }

  /// Integers in [low, high) as int64.
  public static func randint(
    _ low: Int, _ high: Int, shape: [Int], device: Device = .cpu, generator: Generator? = nil
  ) throws -> Tensor {
    let sizes = shape.map { Int64($0) }
    return try make("randint", []) {
      sz_tensor_randint(Int64(low), Int64(high), sizes, Int64(sizes.count), device.type, device.index,
        generator?.handle, $0)
    }
  }

  // MARK: - Conversion

  public func to(dtype: DType? = nil, device: Device? = nil) throws -> Tensor {
    let targetDevice = device ?? self.device
    return try make("to", [self]) {
      sz_tensor_to(handle, (dtype ?? self.dtype).code, targetDevice.type, targetDevice.index, $0)
    }
  }

  /// Copies the elements, converted to `T`, into a flat Swift array in row-major order.
  public func toArray<T: TensorScalar>(_ type: T.Type = T.self) throws -> [T] {
    let source = dtype == T.dtype ? self : try to(dtype: T.dtype)
    let total = source.count
    guard total > 0 else { return [] }
    return try [T](unsafeUninitializedCapacity: total) { buffer, initialized in
      let status = sz_tensor_copy_to_host(source.handle, buffer.baseAddress, total * T.dtype.itemSize)
      guard status == SZ_OK else {
        initialized = 0
        throw TensorError(op: "toArray", shapes: [shape], message: lastShimError())
      }
      initialized = total
    }
  }

  /// Copies the raw bytes (contiguous, on the CPU, in the tensor's own dtype), for checkpoint writing.
  public func rawBytes() throws -> [UInt8] {
    let total = count * dtype.itemSize
    return try [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
      let status = sz_tensor_copy_to_host(handle, buffer.baseAddress, total)
      guard status == SZ_OK else {
        initialized = 0
        throw TensorError(op: "rawBytes", shapes: [shape], message: lastShimError())
      }
      initialized = total
    }
  }

  /// The single element of a one-element tensor as a Double.
  public func item() throws -> Double {
    var value = 0.0
    try check("item", [self], sz_tensor_item_double(handle, &value))
    return value
  }

  /// The single element of a one-element tensor as an Int.
  public func itemInt() throws -> Int {
    var value: Int64 = 0
    try check("itemInt", [self], sz_tensor_item_int64(handle, &value))
    return Int(value)
  }
}
