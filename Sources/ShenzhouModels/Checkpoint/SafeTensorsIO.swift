import ShenzhouNN

/// Converts between libtorch tensors and safetensors files.
public enum SafeTensorsIO {
  /// Reads every tensor of a safetensors file, a model directory or a `*.index.json` sharded checkpoint.
  public static func read(path: String) throws -> [(String, Tensor)] {
    let checkpoint = try SafeTensorsCheckpoint.open(path)
    return try checkpoint.names.map { name in
      let view = try checkpoint.tensor(named: name)
      return (name, try tensor(from: view, source: path))
    }
  }

  public static func readSharded(indexPath: String) throws -> [(String, Tensor)] {
    try read(path: indexPath)
  }

  static func tensor(from view: SafeTensorView, source: String) throws -> Tensor {
    guard let dtype = DType(safeTensors: view.dtype) else {
      throw CheckpointError.invalidIndex(
        source, "tensor \(view.name) has dtype \(view.dtype.rawValue), which libtorch tensors here do not support")
    }
    return try Tensor(bytes: view.bytes, dtype: dtype, shape: view.shape)
  }

  /// Writes tensors (copied to the CPU) into one safetensors file, atomically.
  public static func write(_ tensors: [(String, Tensor)], metadata: [String: String]? = nil, to path: String) throws {
    try SafeTensorsWriter.write(try entries(tensors), metadata: metadata, to: path)
  }

  /// Writes a Hugging Face checkpoint into `directory`: one `model.safetensors`, or shards and an index when the
  /// tensors exceed `maxShardSize` bytes.
  public static func writeCheckpoint(_ tensors: [(String, Tensor)], to directory: String, maxShardSize: Int) throws {
    let parameterCount = tensors.reduce(0) { $0 + $1.1.count }
    try SafeTensorsWriter.writeCheckpoint(
      try entries(tensors), to: directory, maxShardSize: maxShardSize, totalParameters: parameterCount)
  }

  static func entries(_ tensors: [(String, Tensor)]) throws -> [SafeTensorsEntry] {
    try tensors.map { name, tensor in
      SafeTensorsEntry(
        name: name, dtype: tensor.dtype.safeTensorsDType, shape: tensor.shape, bytes: try tensor.rawBytes())
    }
  }
}

extension DType {
  init?(safeTensors dtype: SafeTensorsDType) {
    switch dtype {
    case .float32: self = .float32
    case .bfloat16: self = .bfloat16
    case .float16: self = .float16
    case .float64: self = .float64
    case .int64: self = .int64
    case .int32: self = .int32
    case .int16: self = .int16
    case .int8: self = .int8
    case .uint8: self = .uint8
    case .bool: self = .bool
    default: return nil
    }
  }

  var safeTensorsDType: SafeTensorsDType {
    switch self {
    case .float32: .float32
    case .bfloat16: .bfloat16
    case .float16: .float16
    case .float64: .float64
    case .int64: .int64
    case .int32: .int32
    case .int16: .int16
    case .int8: .int8
    case .uint8: .uint8
    case .bool: .bool
    }
  }
}
