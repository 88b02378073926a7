import CTorch

/// Element type of a tensor.
public enum DType: String, Sendable, CaseIterable, Codable {
  case float32, bfloat16, float16, int64, int32, bool, float64, uint8, int16, int8

  var code: SZDType {
    switch self {
    case .float32: SZ_FLOAT32
    case .bfloat16: SZ_BFLOAT16
    case .float16: SZ_FLOAT16
    case .int64: SZ_INT64
    case .int32: SZ_INT32
    case .bool: SZ_BOOL
    case .float64: SZ_FLOAT64
    case .uint8: SZ_UINT8
    case .int16: SZ_INT16
    case .int8: SZ_INT8
    }
  }

  init(code: SZDType) {
    switch code {
    case SZ_BFLOAT16: self = .bfloat16
    case SZ_FLOAT16: self = .float16
    case SZ_INT64: self = .int64
    case SZ_INT32: self = .int32
    case SZ_BOOL: self = .bool
    case SZ_FLOAT64: self = .float64
    case SZ_UINT8: self = .uint8
    case SZ_INT16: self = .int16
    case SZ_INT8: self = .int8
    default: self = .float32
    }
  }

  /// Bytes per element.
  public var itemSize: Int {
    switch self {
    case .float64, .int64: 8
    case .float32, .int32: 4
    case .bfloat16, .float16, .int16: 2
    case .bool, .uint8, .int8: 1
    }
  }

  public var isFloatingPoint: Bool {
    switch self {
    case .float32, .bfloat16, .float16, .float64: true
    default: false
    }
  }
}

/// The device a tensor lives on.
public enum Device: Sendable, Hashable, CustomStringConvertible, Codable {
  case cpu
  case cuda(Int)

  /// Parses `cpu`, `cuda` (device 0) or `cuda:N`.
  public init(parsing text: String) throws {
    if text == "cpu" {
      self = .cpu
    } else if text == "cuda" {
      self = .cuda(0)
    } else if text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 {
      self = .cuda(index)
    } else {
      throw TensorError(op: "device", shapes: [], message: "invalid device \"\(text)\"; expected cpu, cuda or cuda:N")
    }
  }

  public var description: String {
    switch self {
    case .cpu: "cpu"
    case .cuda(let index): "cuda:\(index)"
    }
  }

  var type: SZDeviceType {
    switch self {
    case .cpu: SZ_DEVICE_CPU
    case .cuda: SZ_DEVICE_CUDA
    }
  }

  var index: Int64 {
    switch self {
    case .cpu: -1
    case .cuda(let index): Int64(index)
    }
  }
}

/// A failed tensor operation: the op, the shapes of its inputs and libtorch's message without the C++ backtrace.
public struct TensorError: Error, CustomStringConvertible, Sendable {
  public let op: String
  public let shapes: [[Int]]
  public let message: String

  public init(op: String, shapes: [[Int]], message: String) {
    self.op = op
    self.shapes = shapes
    self.message = message
  }

  public var description: String {
    if shapes.isEmpty { return "\(op): \(message)" }
    let list = shapes.map { "[\($0.map(String.init).joined(separator: ", "))]" }.joined(separator: ", ")
    return "\(op) failed on input shapes \(list): \(message)"
  }
}

/// An n-dimensional array owning one libtorch tensor, freed exactly once when the last Swift reference goes away.
///
/// Every operation throws `TensorError` instead of crashing on a shape, dtype, index or device mismatch.
/// `@unchecked Sendable`: the handle is never mutated after creation; libtorch tensors may be read from any thread,
/// and in-place updates are confined to optimizer and loading code that owns the tensor.
public final class Tensor: @unchecked Sendable {
  let handle: OpaquePointer

  init(owning handle: OpaquePointer) {
    self.handle = handle
  }

  deinit {
    sz_tensor_free(handle)
  }

  public var rank: Int { Int(sz_tensor_dim(handle)) }

  public var shape: [Int] {
    let count = rank
    guard count > 0 else { return [] }
    var sizes = [Int64](repeating: 0, count: count)
    sz_tensor_sizes(handle, &sizes, Int64(count))
    return sizes.map { Int($0) }
  }

  public var count: Int { Int(sz_tensor_numel(handle)) }
  public var dtype: DType { DType(code: sz_tensor_dtype(handle)) }

  public var device: Device {
    sz_tensor_device_type(handle) == SZ_DEVICE_CUDA ? .cuda(Int(sz_tensor_device_index(handle))) : .cpu
  }

  public var requiresGrad: Bool { sz_tensor_requires_grad(handle) }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    "Tensor(shape: \(shape), dtype: \(dtype), device: \(device))"
  }
}

// MARK: - Calling the shim

/// Runs one shim call that produces a tensor, turning a failed status into a `TensorError`.
@inline(__always)
func make(_ op: String, _ inputs: [Tensor], _ body: (UnsafeMutablePointer<OpaquePointer?>) -> SZStatus) throws
  -> Tensor
{
  var out: OpaquePointer?
  let status = body(&out)
  guard status == SZ_OK, let handle = out else {
    throw TensorError(op: op, shapes: inputs.map(\.shape), message: lastShimError())
  }
  return Tensor(owning: handle)
}

/// Runs one shim call with no tensor result.
@inline(__always)
func check(_ op: String, _ inputs: [Tensor], _ status: SZStatus) throws {
  guard status == SZ_OK else {
    throw TensorError(op: op, shapes: inputs.map(\.shape), message: lastShimError())
  }
}

func lastShimError() -> String {
  guard let message = sz_last_error() else { return "unknown libtorch error" }
  let text = String(cString: message)
  return text.isEmpty ? "unknown libtorch error" : text
}

/// Calls `body` with a contiguous array of the handles of `tensors`, keeping them alive meanwhile.
func withHandles<R>(_ tensors: [Tensor], _ body: (UnsafePointer<OpaquePointer?>) throws -> R) rethrows -> R {
  // A one-element placeholder keeps the base address non-nil for an empty list.
  let handles: [OpaquePointer?] = tensors.isEmpty ? [nil] : tensors.map { $0.handle }
  return try withExtendedLifetime(tensors) {
    try handles.withUnsafeBufferPointer { buffer in
      try body(buffer.baseAddress!)
    }
  }
}
