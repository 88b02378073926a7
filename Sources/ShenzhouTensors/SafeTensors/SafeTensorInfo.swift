/// One tensor entry of a safetensors header.
public struct SafeTensorInfo: Sendable, Hashable {
  public let name: String
  public let dtype: SafeTensorsDType
  public let shape: [Int]
  /// The byte range within the data section, which starts right after the header.
  public let dataOffsets: Range<Int>

  public init(name: String, dtype: SafeTensorsDType, shape: [Int], dataOffsets: Range<Int>) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.dataOffsets = dataOffsets
  }

  /// The product of the dimensions, 1 for a scalar.
  public var elementCount: Int { shape.reduce(1, *) }

  public var byteCount: Int { dataOffsets.count }
}

/// The bytes of one tensor, with its dtype and shape. The view keeps the file's mapping
/// alive, so `bytes` stays valid as long as the view exists. Copy the bytes to keep them
/// longer.
///
/// `bytes` is aligned to the item size when the writer padded the header to a multiple of 8
/// and ordered tensors by descending item size, as this package and the safetensors
/// library do. Other files may be unaligned, so read elements with `loadUnaligned` or
/// ``scalars(as:)``.
public struct SafeTensorView: @unchecked Sendable {
  public let info: SafeTensorInfo
  public let bytes: UnsafeRawBufferPointer
  let storage: SafeTensorsStorage

  public var name: String { info.name }
  public var dtype: SafeTensorsDType { info.dtype }
  public var shape: [Int] { info.shape }

  /// Copies the elements into an array of `T`, which must have the dtype's item size
  /// (`Float` for F32, `UInt16` for F16 or BF16 bit patterns, `UInt8` for BOOL).
  public func scalars<T: BitwiseCopyable>(as type: T.Type) throws(SafeTensorsError) -> [T] {
    guard MemoryLayout<T>.size == dtype.itemSize else {
      throw .elementSizeMismatch(tensor: name, dtype: dtype, requestedSize: MemoryLayout<T>.size)
    }
    let count = info.elementCount
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      if let destination = buffer.baseAddress, let source = bytes.baseAddress {
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * MemoryLayout<T>.size)
      }
      initialized = count
    }
  }

  /// Returns a copy of the raw little-endian bytes.
  public func copyBytes() -> [UInt8] {
    Array(bytes)
  }
}
