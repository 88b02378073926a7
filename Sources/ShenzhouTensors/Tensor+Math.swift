import CTorch

extension Tensor {
  // MARK: - Element-wise

  func unary(_ op: SZUnaryOp, _ name: String) throws -> Tensor {
    try make(name, [self]) { sz_tensor_unary(op, handle, $0) }
  }

  func binary(_ op: SZBinaryOp, _ name: String, _ other: Tensor) throws -> Tensor {
    try make(name, [self, other]) { sz_tensor_binary(op, handle, other.handle, $0) }
  }

  func binary(_ op: SZBinaryOp, _ name: String, _ other: Double) throws -> Tensor {
    try make(name, [self]) { sz_tensor_binary_scalar(op, handle, other, $0) }
  }

  public func exp() throws -> Tensor { try unary(SZ_UNARY_EXP, "exp") }
  public func log() throws -> Tensor { try unary(SZ_UNARY_LOG, "log") }
  public func sqrt() throws -> Tensor { try unary(SZ_UNARY_SQRT, "sqrt") }
  public func rsqrt() throws -> Tensor { try unary(SZ_UNARY_RSQRT, "rsqrt") }
  public func abs() throws -> Tensor { try unary(SZ_UNARY_ABS, "abs") }
  public func tanh() throws -> Tensor { try unary(SZ_UNARY_TANH, "tanh") }
  public func sigmoid() throws -> Tensor { try unary(SZ_UNARY_SIGMOID, "sigmoid") }
  public func relu() throws -> Tensor { try unary(SZ_UNARY_RELU, "relu") }
  public func silu() throws -> Tensor { try unary(SZ_UNARY_SILU, "silu") }
  public func square() throws -> Tensor { try unary(SZ_UNARY_SQUARE, "square") }
  public func reciprocal() throws -> Tensor { try unary(SZ_UNARY_RECIPROCAL, "reciprocal") }
  public func logicalNot() throws -> Tensor { try unary(SZ_UNARY_LOGICAL_NOT, "logical_not") }
  public func isFinite() throws -> Tensor { try unary(SZ_UNARY_ISFINITE, "isfinite") }

  /// GELU with the exact erf form, or the tanh approximation (`gelu_new` in Hugging Face configs).
  public func gelu(approximateTanh: Bool = false) throws -> Tensor {
    approximateTanh ? try unary(SZ_UNARY_GELU_TANH, "gelu(tanh)") : try unary(SZ_UNARY_GELU_ERF, "gelu")
  }

  public static prefix func - (x: Tensor) throws -> Tensor { try x.unary(SZ_UNARY_NEG, "neg") }

  public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(SZ_BINARY_ADD, "add", b) }
  public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(SZ_BINARY_SUB, "sub", b) }
  public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(SZ_BINARY_MUL, "mul", b) }
  public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(SZ_BINARY_DIV, "div", b) }
  public static func + (a: Tensor, b: Double) throws -> Tensor { try a.binary(SZ_BINARY_ADD, "add", b) }
  public static func - (a: Tensor, b: Double) throws -> Tensor { try a.binary(SZ_BINARY_SUB, "sub", b) }
  public static func * (a: Tensor, b: Double) throws -> Tensor { try a.binary(SZ_BINARY_MUL, "mul", b) }
  public static func / (a: Tensor, b: Double) throws -> Tensor { try a.binary(SZ_BINARY_DIV, "div", b) }

  public func pow(_ exponent: Double) throws -> Tensor { try binary(SZ_BINARY_POW, "pow", exponent) }
  public func maximum(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_MAXIMUM, "maximum", other) }
  public func minimum(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_MINIMUM, "minimum", other) }
  public func clamp(min: Double, max: Double) throws -> Tensor {
    try make("clamp", [self]) { sz_tensor_clamp(handle, min, max, $0) }
  }

  // MARK: - Comparison and logic (results are bool tensors)

  public func eq(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_EQ, "eq", other) }
  public func ne(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_NE, "ne", other) }
  public func lt(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_LT, "lt", other) }
  public func gt(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_GT, "gt", other) }
  public func eq(_ value: Double) throws -> Tensor { try binary(SZ_BINARY_EQ, "eq", value) }
  public func ne(_ value: Double) throws -> Tensor { try binary(SZ_BINARY_NE, "ne", value) }
  public func lt(_ value: Double) throws -> Tensor { try binary(SZ_BINARY_LT, "lt", value) }
  public func le(_ value: Double) throws -> Tensor { try binary(SZ_BINARY_LE, "le", value) }
  public func gt(_ value: Double) throws -> Tensor { try binary(SZ_BINARY_GT, "gt", value) }
  public func ge(_ value: Double) throws -> Tensor { try binary(SZ_BINARY_GE, "ge", value) }
  public func logicalAnd(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_LOGICAL_AND, "logical_and", other) }
  public func logicalOr(_ other: Tensor) throws -> Tensor { try binary(SZ_BINARY_LOGICAL_OR, "logical_or", other) }

  // MARK: - Reductions

  func reduce(_ op: SZReduceOp, _ name: String, dims: [Int], keepDim: Bool) throws -> Tensor {
    let axes = dims.map { Int64($0) }
    return try make(dims.isEmpty ? name : "\(name)(dims: \(dims))", [self]) {
      sz_tensor_reduce(op, handle, axes, Int64(axes.count), keepDim, $0)
    }
  }

  /// Sum over `dims`, or over all elements when `dims` is empty.
  public func sum(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_SUM, "sum", dims: dims, keepDim: keepDim)
  }
  public func mean(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_MEAN, "mean", dims: dims, keepDim: keepDim)
  }
  public func max(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_MAX, "max", dims: dim.map { [$0] } ?? [], keepDim: keepDim)
  }
  public func min(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_MIN, "min", dims: dim.map { [$0] } ?? [], keepDim: keepDim)
  }
  public func argmax(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_ARGMAX, "argmax", dims: dim.map { [$0] } ?? [], keepDim: keepDim)
  }
  public func argmin(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_ARGMIN, "argmin", dims: dim.map { [$0] } ?? [], keepDim: keepDim)
  }
  public func any(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_ANY, "any", dims: dim.map { [$0] } ?? [], keepDim: keepDim)
  }
  public func all(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_ALL, "all", dims: dim.map { [$0] } ?? [], keepDim: keepDim)
  }
  public func logsumexp(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_LOGSUMEXP, "logsumexp", dims: dims, keepDim: keepDim)
  }
  /// The L2 norm over `dims`, or of all elements when `dims` is empty.
  public func norm(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
    try reduce(SZ_REDUCE_NORM2, "norm", dims: dims, keepDim: keepDim)
  }

  // MARK: - Matrix products

  /// Matrix product with NumPy broadcasting rules (torch.matmul).
  public func matmul(_ other: Tensor) throws -> Tensor {
    try make("matmul", [self, other]) { sz_tensor_matmul(handle, other.handle, $0) }
  }

  /// Batched matrix product of [B, N, M] and [B, M, P].
  public func bmm(_ other: Tensor) throws -> Tensor {
    try make("bmm", [self, other]) { sz_tensor_bmm(handle, other.handle, $0) }
  }

  /// `self · weightᵀ + bias` with weight [out, in], as torch.nn.Linear.
  public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
    let inputs = [self, weight] + (bias.map { [$0] } ?? [])
    return try make("linear", inputs) { sz_tensor_linear(handle, weight.handle, bias?.handle, $0) }
  }
}
