import CTorch

extension Tensor {
  // MARK: - Views and layout

  /// A tensor with the same elements in `shape`; one entry may be -1 to infer it.
  public func reshaped(_ shape: [Int]) throws -> Tensor {
    let sizes = shape.map { Int64($0) }
    return try make("reshape to \(shape)", [self]) { sz_tensor_reshape(handle, sizes, Int64(sizes.count), $0) }
  }

  public func permuted(_ dims: [Int]) throws -> Tensor {
    let order = dims.map { Int64($0) }
    return try make("permute \(dims)", [self]) { sz_tensor_permute(handle, order, Int64(order.count), $0) }
  }

  public func transposed(_ dim0: Int, _ dim1: Int) throws -> Tensor {
    try make("transpose(\(dim0), \(dim1))", [self]) { sz_tensor_transpose(handle, Int64(dim0), Int64(dim1), $0) }
  }

  /// Broadcasts size-1 dimensions to `shape` without copying; -1 keeps a dimension.
  public func expanded(_ shape: [Int]) throws -> Tensor {
    let sizes = shape.map { Int64($0) }
    return try make("expand to \(shape)", [self]) { sz_tensor_expand(handle, sizes, Int64(sizes.count), $0) }
  }

  public func contiguous() throws -> Tensor {
    try make("contiguous", [self]) { sz_tensor_contiguous(handle, $0) }
  }

  public func unsqueezed(_ dim: Int) throws -> Tensor {
    try make("unsqueeze(\(dim))", [self]) { sz_tensor_unsqueeze(handle, Int64(dim), $0) }
  }

  public func squeezed(_ dim: Int) throws -> Tensor {
    try make("squeeze(\(dim))", [self]) { sz_tensor_squeeze(handle, Int64(dim), $0) }
  }

  // MARK: - Indexing

  /// Elements start..<end with a step along `dim`, as a view. Negative bounds count from the end.
  public func slice(dim: Int, start: Int = 0, end: Int = Int(Int64.max), step: Int = 1) throws -> Tensor {
    try make("slice(dim: \(dim), \(start)..<\(end), step: \(step))", [self]) {
      sz_tensor_slice(handle, Int64(dim), Int64(start), Int64(end), Int64(step), $0)
    }
  }

  /// The sub-tensor at `index` along `dim`, which drops that dimension.
  public func select(dim: Int, index: Int) throws -> Tensor {
    try make("select(dim: \(dim), index: \(index))", [self]) {
      sz_tensor_select(handle, Int64(dim), Int64(index), $0)
    }
  }

  public func indexSelect(dim: Int, index: Tensor) throws -> Tensor {
    try make("index_select(dim: \(dim))", [self, index]) { sz_tensor_index_select(handle, Int64(dim), index.handle, $0) }
  }

  /// `self[index]` with a boolean mask or an integer index tensor along the first dimension.
  public subscript(index: Tensor) -> Tensor {
    get throws { try make("index", [self, index]) { sz_tensor_index(handle, index.handle, $0) } }
  }

  public func gather(dim: Int, index: Tensor) throws -> Tensor {
    try make("gather(dim: \(dim))", [self, index]) { sz_tensor_gather(handle, Int64(dim), index.handle, $0) }
  }

  public func scatter(dim: Int, index: Tensor, source: Tensor) throws -> Tensor {
    try make("scatter(dim: \(dim))", [self, index, source]) {
      sz_tensor_scatter(handle, Int64(dim), index.handle, source.handle, $0)
    }
  }

  public func scatterAdd(dim: Int, index: Tensor, source: Tensor) throws -> Tensor {
    try make("scatter_add(dim: \(dim))", [self, index, source]) {
      sz_tensor_scatter_add(handle, Int64(dim), index.handle, source.handle, $0)
    }
  }

  public func maskedSelect(_ mask: Tensor) throws -> Tensor {
    try make("masked_select", [self, mask]) { sz_tensor_masked_select(handle, mask.handle, $0) }
  }

  public func maskedFill(_ mask: Tensor, value: Double) throws -> Tensor {
    try make("masked_fill", [self, mask]) { sz_tensor_masked_fill(handle, mask.handle, value, $0) }
  }

  /// Element-wise `condition ? a : b`.
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    try make("where", [condition, a, b]) { sz_tensor_where(condition.handle, a.handle, b.handle, $0) }
  }

  /// Indices of non-zero elements as an int64 tensor of shape [count, rank].
  public func nonzero() throws -> Tensor {
    try make("nonzero", [self]) { sz_tensor_nonzero(handle, $0) }
  }

  public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
    try withHandles(tensors) { handles in
      try make("cat(dim: \(dim))", tensors) { sz_tensor_cat(handles, Int64(tensors.count), Int64(dim), $0) }
    }
  }

  public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
    try withHandles(tensors) { handles in
      try make("stack(dim: \(dim))", tensors) { sz_tensor_stack(handles, Int64(tensors.count), Int64(dim), $0) }
    }
  }

  /// The k largest (or smallest) values along `dim`, sorted, with their indices.
  public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) throws -> (values: Tensor, indices: Tensor) {
    var values: OpaquePointer?
    var indices: OpaquePointer?
    try check("topk(\(k), dim: \(dim))", [self], sz_tensor_topk(handle, Int64(k), Int64(dim), largest, &values, &indices))
    guard let values, let indices else {
      throw TensorError(op: "topk", shapes: [shape], message: "libtorch returned no result")
    }
    return (Tensor(owning: values), Tensor(owning: indices))
  }

  /// The lower triangle, zeroing elements above `diagonal`.
  public func tril(diagonal: Int = 0) throws -> Tensor {
    try make("tril", [self]) { sz_tensor_tril(handle, Int64(diagonal), $0) }
  }
}
