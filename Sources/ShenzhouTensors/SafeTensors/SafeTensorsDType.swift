/// An element type as the safetensors header names it.
///
/// The sub-byte and exotic types of newer safetensors releases (`F4`, `F6_E2M3`, `F8_E8M0`,
/// `C64`) are not supported and read as an unknown dtype.
public enum SafeTensorsDType: String, Sendable, CaseIterable, Hashable {
  case bool = "BOOL"
  case uint8 = "U8"
  case int8 = "I8"
  case float8E5M2 = "F8_E5M2"
  case float8E4M3 = "F8_E4M3"
  case int16 = "I16"
  case uint16 = "U16"
  case float16 = "F16"
  case bfloat16 = "BF16"
  case int32 = "I32"
  case uint32 = "U32"
  case float32 = "F32"
  case float64 = "F64"
  case int64 = "I64"
  case uint64 = "U64"

  /// Bytes per element.
  public var itemSize: Int {
    switch self {
    case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: 1
    case .int16, .uint16, .float16, .bfloat16: 2
    case .int32, .uint32, .float32: 4
    case .float64, .int64, .uint64: 8
    }
  }

  /// The position in the declaration order above, which is the order of the `Dtype` enum
  /// of the Rust safetensors crate. Writers place tensors by descending rank, which puts
  /// wider types first so every tensor stays aligned to its item size.
  var rank: Int {
    Self.allCases.firstIndex(of: self) ?? 0
  }
}
