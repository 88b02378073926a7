@_exported import ShenzhouTensors

/// A trainable tensor with a checkpoint name given by its position in the module tree.
public final class Parameter: @unchecked Sendable {
  /// The current value; replaced when the model moves to another dtype or device, updated in place by optimizers.
  public private(set) var value: Tensor
  /// A frozen parameter gets no gradient and is skipped by optimizers.
  public private(set) var isFrozen = false

  public init(_ value: Tensor) throws {
    self.value = try value.detached().requiringGrad(true)
  }

  public var grad: Tensor? { value.grad }

  public func freeze(_ frozen: Bool = true) throws {
    isFrozen = frozen
    try value.requiringGrad(!frozen)
  }

  /// Replaces the value with a converted copy (new dtype or device), keeping the frozen state.
  public func convert(dtype: DType? = nil, device: Device? = nil) throws {
    value = try value.to(dtype: dtype, device: device).detached().requiringGrad(!isFrozen)
  }

  /// Points the parameter at another tensor, used to tie weights (e.g. the MLM decoder to the word embeddings).
  public func replace(with tensor: Tensor) throws {
    value = try tensor.detached().requiringGrad(!isFrozen)
  }
}

/// Base class of layers and models. Subclasses list their parameters and child modules under the names that
/// Hugging Face checkpoints use, so the dotted path of every parameter equals its checkpoint key.
open class Module: @unchecked Sendable {
  /// Training mode enables dropout; evaluation mode disables it.
  public private(set) var isTraining = true

  public init() {}

  /// This module's own parameters under their local names (e.g. "weight").
  open var localParameters: [(String, Parameter)] { [] }

  /// Child modules under their local names (e.g. "attention", or "0" for list entries). Modules without
  /// parameters, such as dropout, are listed too, so that `train(_:)` reaches them.
  open var children: [(String, Module)] { [] }

  /// Every parameter under its full dotted name, depth first, in declaration order. A parameter shared by two
  /// paths (tied weights) is listed once, under the first path.
  public func namedParameters(prefix: String = "") -> [(String, Parameter)] {
    var seen = Set<ObjectIdentifier>()
    var result: [(String, Parameter)] = []
    collect(prefix: prefix, seen: &seen, into: &result)
    return result
  }

  /// Every parameter path, including the second and later names of tied parameters.
  public func allParameterPaths(prefix: String = "") -> [(String, Parameter)] {
    var result = localParameters.map { (join(prefix, $0.0), $0.1) }
    for (name, child) in children {
      result += child.allParameterPaths(prefix: join(prefix, name))
    }
    return result
  }

  private func collect(prefix: String, seen: inout Set<ObjectIdentifier>, into result: inout [(String, Parameter)]) {
    for (name, parameter) in localParameters where seen.insert(ObjectIdentifier(parameter)).inserted {
      result.append((join(prefix, name), parameter))
    }
    for (name, child) in children {
      child.collect(prefix: join(prefix, name), seen: &seen, into: &result)
    }
  }

  public var parameterCount: Int {
    namedParameters().reduce(0) { $0 + $1.1.value.count }
  }

  /// Sets training or evaluation mode on this module and all descendants.
  public func train(_ training: Bool = true) {
    isTraining = training
    for (_, child) in children { child.train(training) }
  }

  public func eval() { train(false) }

  /// Freezes (or unfreezes) every parameter below this module.
  public func freeze(_ frozen: Bool = true) throws {
    for (_, parameter) in namedParameters() { try parameter.freeze(frozen) }
  }

  /// Converts every parameter to `dtype` and/or `device`.
  public func convert(dtype: DType? = nil, device: Device? = nil) throws {
    for (_, parameter) in namedParameters() { try parameter.convert(dtype: dtype, device: device) }
    didConvertParameters()
  }

  /// Called after parameters were replaced, so that modules with tied weights can re-tie them.
  open func didConvertParameters() {
    for (_, child) in children { child.didConvertParameters() }
  }

  /// Drops all accumulated gradients.
  public func zeroGrad() throws {
    for (_, parameter) in namedParameters() { try parameter.value.zeroGrad() }
  }
}

@inline(__always)
func join(_ prefix: String, _ name: String) -> String {
  prefix.isEmpty ? name : "\(prefix).\(name)"
}
