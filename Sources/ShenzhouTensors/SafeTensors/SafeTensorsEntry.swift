/// A tensor to write: its name, dtype, shape and bytes in little-endian, row-major order.
public struct SafeTensorsEntry: Sendable {
  enum Content: Sendable {
    case bytes([UInt8])
    case view(SafeTensorView)
    /// Fills a buffer of exactly `byteCount` bytes at write time, so large tensors need not
    /// be copied into an array first.
    case producer(@Sendable (UnsafeMutableRawBufferPointer) throws -> Void)
  }

  public let name: String
  public let dtype: SafeTensorsDType
  public let shape: [Int]
  /// The number of bytes the content provides.
  public let byteCount: Int
  let content: Content

  public init(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.byteCount = bytes.count
    self.content = .bytes(bytes)
  }

  /// Creates an entry from elements whose size must equal the dtype's item size, which
  /// the writer checks through the byte count.
  public init<T: BitwiseCopyable>(name: String, dtype: SafeTensorsDType, shape: [Int], scalars: [T]) {
    let bytes = scalars.withUnsafeBytes { Array($0) }
    self.init(name: name, dtype: dtype, shape: shape, bytes: bytes)
  }

  /// Creates an entry that copies a tensor read from another file, under `name` or its own.
  public init(name: String? = nil, view: SafeTensorView) {
    self.name = name ?? view.name
    self.dtype = view.dtype
    self.shape = view.shape
    self.byteCount = view.bytes.count
    self.content = .view(view)
  }

  /// Creates an entry whose bytes `fill` writes into a buffer of `byteCount` bytes when the
  /// file is written. An error thrown by `fill` aborts the write.
  public init(
    name: String, dtype: SafeTensorsDType, shape: [Int], byteCount: Int,
    fill: @escaping @Sendable (UnsafeMutableRawBufferPointer) throws -> Void
  ) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.byteCount = byteCount
    self.content = .producer(fill)
  }

  /// The product of the dimensions, or `nil` when a dimension is negative or it overflows.
  var elementCount: Int? {
    var count = 1
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      guard !overflow else { return nil }
      count = product
    }
    return count
  }
}
