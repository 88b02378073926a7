/// y = x Wᵀ + b with W of shape [out, in], as torch.nn.Linear.
public final class Linear: Module, @unchecked Sendable {
  public let weight: Parameter
  public let bias: Parameter?

  /// Weights drawn from N(0, std²) and a zero bias, as Hugging Face initializes BERT.
  public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, std: Double = 0.02, generator: Generator? = nil)
    throws
  {
    weight = try Parameter(Tensor.randn([outFeatures, inFeatures], generator: generator) * std)
    self.bias = bias ? try Parameter(Tensor.zeros([outFeatures])) : nil
    super.init()
  }

  public override var localParameters: [(String, Parameter)] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
  }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try x.linear(weight: weight.value, bias: bias?.value)
  }
}

/// A lookup table of `count` vectors of size `dimension`.
public final class Embedding: Module, @unchecked Sendable {
  public let weight: Parameter
  /// The row that gets no gradient (torch.nn.Embedding's `padding_idx`).
  public let paddingIndex: Int?

  /// Rows drawn from N(0, std²); the `paddingIndex` row, when given, starts at zero.
  public init(count: Int, dimension: Int, std: Double = 0.02, paddingIndex: Int? = nil, generator: Generator? = nil)
    throws
  {
    var table = try Tensor.randn([count, dimension], generator: generator) * std
    if let paddingIndex, paddingIndex >= 0, paddingIndex < count {
      let rowMask = try Tensor.arange(0, Double(count)).eq(Double(paddingIndex)).unsqueezed(1)
      table = try table.maskedFill(rowMask, value: 0)
    }
    weight = try Parameter(table)
    self.paddingIndex = paddingIndex.flatMap { (0..<count).contains($0) ? $0 : nil }
    super.init()
  }

  public override var localParameters: [(String, Parameter)] { [("weight", weight)] }

  public func callAsFunction(_ indices: Tensor) throws -> Tensor {
    try Tensor.embedding(weight.value, indices: indices, paddingIndex: paddingIndex)
  }
}

/// Layer normalization over the last dimension with learned scale and shift.
public final class LayerNorm: Module, @unchecked Sendable {
  public let weight: Parameter
  public let bias: Parameter
  public let eps: Double

  public init(dimension: Int, eps: Double) throws {
    weight = try Parameter(Tensor.ones([dimension]))
    bias = try Parameter(Tensor.zeros([dimension]))
    self.eps = eps
    super.init()
  }

  public override var localParameters: [(String, Parameter)] { [("weight", weight), ("bias", bias)] }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try x.layerNorm(weight: weight.value, bias: bias.value, eps: eps)
  }
}

/// Inverted dropout that is active only in training mode.
public final class Dropout: Module, @unchecked Sendable {
  public let probability: Double

  public init(probability: Double) {
    self.probability = probability
    super.init()
  }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    guard isTraining, probability > 0 else { return x }
    return try x.dropout(p: probability, training: true)
  }
}

/// Activation functions named as in Hugging Face configs (`hidden_act`).
public enum Activation: String, Sendable, Codable, CaseIterable {
  case gelu
  case geluNew = "gelu_new"
  case geluPytorchTanh = "gelu_pytorch_tanh"
  case relu
  case silu
  case tanh

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    switch self {
    case .gelu: try x.gelu()
    case .geluNew, .geluPytorchTanh: try x.gelu(approximateTanh: true)
    case .relu: try x.relu()
    case .silu: try x.silu()
    case .tanh: try x.tanh()
    }
  }
}
