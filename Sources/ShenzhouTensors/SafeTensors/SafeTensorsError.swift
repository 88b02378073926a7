/// A failure to read or write a safetensors file or a sharded checkpoint. Each case names
/// the file and, where one is involved, the tensor.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
  // MARK: Opening
  case fileNotFound(file: String)
  case cannotRead(file: String, reason: String)

  // MARK: Header
  /// The file is shorter than the 8-byte header length.
  case truncatedHeaderLength(file: String, fileSize: Int)
  case headerTooLarge(file: String, headerSize: UInt64, limit: Int)
  /// The header length points past the end of the file.
  case truncatedHeader(file: String, headerSize: UInt64, fileSize: Int)
  case invalidHeaderEncoding(file: String)
  case invalidHeaderJSON(file: String, detail: String)
  /// A header field has the wrong type or value. `field` is a path such as `bert.pooler.bias.shape`.
  case invalidHeaderField(file: String, field: String, detail: String)
  case duplicateTensor(file: String, tensor: String)
  case unknownDType(file: String, tensor: String, dtype: String)

  // MARK: Data layout
  case invalidShape(file: String, tensor: String, shape: [Int])
  case byteCountMismatch(
    file: String, tensor: String, dtype: SafeTensorsDType, shape: [Int], byteCount: Int, expectedByteCount: Int)
  case offsetsOutOfRange(file: String, tensor: String, end: Int, dataSize: Int)
  case overlappingTensors(file: String, tensor: String, previous: String)
  case gapBeforeTensor(file: String, tensor: String, begin: Int, expectedBegin: Int)
  case trailingData(file: String, dataSize: Int, usedSize: Int)

  // MARK: Lookup
  case tensorNotFound(file: String, tensor: String)
  /// A view was read as a Swift type whose size differs from the dtype's item size.
  case elementSizeMismatch(tensor: String, dtype: SafeTensorsDType, requestedSize: Int)

  // MARK: Sharded checkpoints
  case invalidIndex(file: String, detail: String)
  case missingShard(index: String, shard: String, tensor: String)
  case tensorMissingFromShard(index: String, shard: String, tensor: String)
  case tensorInTwoShards(index: String, tensor: String, shards: [String])
  case tensorNotInIndex(index: String, shard: String, tensor: String)
  case noCheckpoint(directory: String)

  // MARK: Writing
  case invalidTensor(tensor: String, detail: String)
  case writeFailed(file: String, reason: String)

  public var description: String {
    switch self {
    case .fileNotFound(let file):
      "\(file): no such file"
    case .cannotRead(let file, let reason):
      "\(file): cannot read: \(reason)"
    case .truncatedHeaderLength(let file, let fileSize):
      "\(file): file is \(fileSize) bytes, too short for the 8-byte header length; the file is truncated or not safetensors"
    case .headerTooLarge(let file, let headerSize, let limit):
      "\(file): header length \(headerSize) exceeds the limit of \(limit) bytes; the file is corrupt or not safetensors"
    case .truncatedHeader(let file, let headerSize, let fileSize):
      "\(file): header length \(headerSize) runs past the end of the \(fileSize)-byte file; the file is truncated"
    case .invalidHeaderEncoding(let file):
      "\(file): header is not valid UTF-8"
    case .invalidHeaderJSON(let file, let detail):
      "\(file): header is not valid JSON: \(detail)"
    case .invalidHeaderField(let file, let field, let detail):
      "\(file): header field \(field): \(detail)"
    case .duplicateTensor(let file, let tensor):
      "\(file): tensor \"\(tensor)\" is listed twice in the header"
    case .unknownDType(let file, let tensor, let dtype):
      "\(file): tensor \"\(tensor)\" has unknown dtype \"\(dtype)\"; supported: "
        + SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
    case .invalidShape(let file, let tensor, let shape):
      "\(file): tensor \"\(tensor)\" has invalid shape \(shape); dimensions must be non-negative and their product must fit in Int"
    case .byteCountMismatch(let file, let tensor, let dtype, let shape, let byteCount, let expectedByteCount):
      "\(file): tensor \"\(tensor)\" spans \(byteCount) bytes, but shape \(shape) of \(dtype.rawValue) needs \(expectedByteCount) bytes"
    case .offsetsOutOfRange(let file, let tensor, let end, let dataSize):
      "\(file): tensor \"\(tensor)\" ends at byte \(end) of the data section, which has only \(dataSize) bytes; the file is truncated"
    case .overlappingTensors(let file, let tensor, let previous):
      "\(file): tensor \"\(tensor)\" overlaps tensor \"\(previous)\" in the data section"
    case .gapBeforeTensor(let file, let tensor, let begin, let expectedBegin):
      "\(file): tensor \"\(tensor)\" begins at byte \(begin) of the data section, but the previous tensor ends at \(expectedBegin); tensors must be contiguous"
    case .trailingData(let file, let dataSize, let usedSize):
      "\(file): data section has \(dataSize) bytes, but the tensors cover only \(usedSize)"
    case .tensorNotFound(let file, let tensor):
      "\(file): no tensor named \"\(tensor)\""
    case .elementSizeMismatch(let tensor, let dtype, let requestedSize):
      "tensor \"\(tensor)\" has dtype \(dtype.rawValue) of \(dtype.itemSize) bytes per element, "
        + "but was read as a type of \(requestedSize) bytes"
    case .invalidIndex(let file, let detail):
      "\(file): invalid shard index: \(detail)"
    case .missingShard(let index, let shard, let tensor):
      "\(index): shard \(shard) (listed for tensor \"\(tensor)\") is missing from the folder"
    case .tensorMissingFromShard(let index, let shard, let tensor):
      "\(index): tensor \"\(tensor)\" is mapped to \(shard), which does not contain it"
    case .tensorInTwoShards(let index, let tensor, let shards):
      "\(index): tensor \"\(tensor)\" is stored in more than one shard: \(shards.joined(separator: ", "))"
    case .tensorNotInIndex(let index, let shard, let tensor):
      "\(index): shard \(shard) contains tensor \"\(tensor)\", which the weight_map does not list"
    case .noCheckpoint(let directory):
      "\(directory): no model.safetensors or model.safetensors.index.json in this folder"
    case .invalidTensor(let tensor, let detail):
      "cannot write tensor \"\(tensor)\": \(detail)"
    case .writeFailed(let file, let reason):
      "\(file): write failed: \(reason)"
    }
  }
}
