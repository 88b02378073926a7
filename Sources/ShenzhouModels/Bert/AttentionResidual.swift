import Foundation
import ShenzhouNN

/// How the cross-layer attention residual combines a layer's raw scores S_l = Q Kᵀ/√HS with the scores carried
/// from the layer below. In every mode the padding mask is added after the combination and never carried.
public enum AttentionResidualMode: String, Sendable, Codable, CaseIterable {
  /// P_l = S_l + λ·P_(l−1) with one fixed λ for all heads (λ = 0: plain attention, λ = 1: RealFormer).
  case fixed
  /// P_l = S_l + λ_h·P_(l−1) with a fixed λ per head.
  case perHead = "per_head"
  /// P_l = S_l + σ(θ_h)·P_(l−1) with θ learned per head, stored as `bert.encoder.attention_residual_logits`.
  case learned
  /// P_l = ((l−1)·P_(l−1) + S_l) / l: the running mean of all raw scores so far (RealFormer's averaged variant).
  case runningMean = "running_mean"
}

/// Settings of the cross-layer attention residual, stored in config.json as `shenzhou_attention_residual`.
public struct AttentionResidualConfig: Sendable, Equatable {
  public var mode: AttentionResidualMode
  /// λ for `fixed` (one value), or one per head for `perHead`; the initial λ for `learned` (one value or per head).
  public var decay: [Double]

  public init(mode: AttentionResidualMode, decay: [Double] = [1.0]) {
    self.mode = mode
    self.decay = decay
  }

  func validate(heads: Int, source: String) throws {
    let field = "shenzhou_attention_residual"
    switch mode {
    case .fixed:
      guard decay.count == 1 else {
        throw ConfigError(source: source, field: field, message: "mode fixed needs one decay value, got \(decay.count)")
      }
    case .perHead:
      guard decay.count == heads else {
        throw ConfigError(
          source: source, field: field, message: "mode per_head needs \(heads) decay values, got \(decay.count)")
      }
    case .learned:
      guard decay.count == 1 || decay.count == heads else {
        throw ConfigError(
          source: source, field: field, message: "mode learned needs 1 or \(heads) initial decay values")
      }
      guard decay.allSatisfy({ $0 > 0 && $0 < 1 }) else {
        throw ConfigError(
          source: source, field: field, message: "mode learned needs initial decay values strictly inside (0, 1)")
      }
    case .runningMean:
      break
    }
    guard decay.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
      throw ConfigError(source: source, field: field, message: "decay values must be finite and >= 0")
    }
  }

  var json: JSONValue {
    .object(["mode": .string(mode.rawValue), "decay": .array(decay.map { .number($0) })])
  }

  init(json: JSONValue, source: String) throws {
    let field = "shenzhou_attention_residual"
    if let single = json.doubleValue {
      self.init(mode: .fixed, decay: [single])
      return
    }
    guard let fields = json.objectValue, let modeName = fields["mode"]?.stringValue,
      let mode = AttentionResidualMode(rawValue: modeName)
    else {
      let modes = AttentionResidualMode.allCases.map(\.rawValue).joined(separator: ", ")
      throw ConfigError(
        source: source, field: field, message: "must be a number or {\"mode\": one of \(modes), \"decay\": [...]}")
    }
    var values: [Double] = [1.0]
    if let decay = fields["decay"] {
      if let single = decay.doubleValue {
        values = [single]
      } else if let items = decay.arrayValue, items.allSatisfy({ $0.doubleValue != nil }) {
        values = items.compactMap(\.doubleValue)
      } else {
        throw ConfigError(source: source, field: field + ".decay", message: "must be a number or a list of numbers")
      }
    }
    self.init(mode: mode, decay: values)
  }
}

/// Combines raw scores across layers according to an `AttentionResidualConfig`.
public final class AttentionResidual: Module, @unchecked Sendable {
  public let config: AttentionResidualConfig
  /// θ for the learned mode, shape [NH] (or [1]); λ = σ(θ).
  public let logits: Parameter?
  let fixedDecay: Tensor?

  public init(config: AttentionResidualConfig, heads: Int) throws {
    self.config = config
    switch config.mode {
    case .fixed:
      fixedDecay = try Tensor(scalar: Float(config.decay[0]))
      logits = nil
    case .perHead:
      fixedDecay = try Tensor(config.decay.map(Float.init), shape: [1, heads, 1, 1])
      logits = nil
    case .learned:
      // θ = log(λ / (1 − λ)) so that σ(θ) starts at the configured λ.
      let initial = config.decay.map { Float(Foundation.log($0 / (1 - $0))) }
      logits = try Parameter(Tensor(initial))
      fixedDecay = nil
    case .runningMean:
      fixedDecay = nil
      logits = nil
    }
    super.init()
  }

  public override var localParameters: [(String, Parameter)] {
    logits.map { [("attention_residual_logits", $0)] } ?? []
  }

  /// Returns P_l from S_l and P_(l−1); `layer` counts from 1.
  public func combine(scores: Tensor, previous: Tensor?, layer: Int) throws -> Tensor {
    guard let previous else { return scores }
    switch config.mode {
    case .fixed, .perHead:
      return try scores + previous * fixedDecay!.to(dtype: previous.dtype, device: previous.device)
    case .learned:
      let lambda = try logits!.value.sigmoid()
      let shaped = lambda.count == 1 ? lambda : try lambda.reshaped([1, -1, 1, 1])
      return try scores + previous * shaped.to(device: previous.device)
    case .runningMean:
      let count = Double(layer)
      return try (previous * (count - 1) + scores) / count
    }
  }
}

