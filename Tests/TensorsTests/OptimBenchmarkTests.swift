import Foundation
import Testing
import ShenzhouNN

/// Timings of one optimizer step over BERT-base parameter shapes (embeddings and `SHENZHOU_BENCHMARK_LAYERS`
/// encoder layers, default 2). Runs only with SHENZHOU_BENCHMARK=1 and prints milliseconds per call, the mean
/// of `SHENZHOU_BENCHMARK_ROUNDS` calls (default 5); scripts/bench-optim runs it next to torch.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SHENZHOU_BENCHMARK"] == "1", "set SHENZHOU_BENCHMARK=1"))
struct OptimBenchmarkTests {
  static func bertShapes(layers: Int) -> [(String, [Int])] {
    var shapes: [(String, [Int])] = [
      ("embeddings.word_embeddings.weight", [21128, 768]),
      ("embeddings.position_embeddings.weight", [512, 768]),
      ("embeddings.token_type_embeddings.weight", [2, 768]),
      ("embeddings.LayerNorm.weight", [768]),
      ("embeddings.LayerNorm.bias", [768]),
    ]
    for layer in 0..<layers {
      let prefix = "encoder.layer.\(layer)"
      for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
        shapes.append(("\(prefix).\(name).weight", [768, 768]))
        shapes.append(("\(prefix).\(name).bias", [768]))
      }
      shapes.append(("\(prefix).attention.output.LayerNorm.weight", [768]))
      shapes.append(("\(prefix).attention.output.LayerNorm.bias", [768]))
      shapes.append(("\(prefix).intermediate.dense.weight", [3072, 768]))
      shapes.append(("\(prefix).intermediate.dense.bias", [3072]))
      shapes.append(("\(prefix).output.dense.weight", [768, 3072]))
      shapes.append(("\(prefix).output.dense.bias", [768]))
      shapes.append(("\(prefix).output.LayerNorm.weight", [768]))
      shapes.append(("\(prefix).output.LayerNorm.bias", [768]))
    }
    return shapes
  }

  static func makeParameters() throws -> [(String, Parameter)] {
    let layers = Int(ProcessInfo.processInfo.environment["SHENZHOU_BENCHMARK_LAYERS"] ?? "") ?? 2
    let generator = try Generator(seed: 1)
    return try bertShapes(layers: layers).map { name, shape in
      let parameter = try Parameter(Tensor.randn(shape, generator: generator) * 0.02)
      try parameter.value.setGrad(Tensor.randn(shape, generator: generator) * 0.01)
      return (name, parameter)
    }
  }

  static let repeats = Int(ProcessInfo.processInfo.environment["SHENZHOU_BENCHMARK_ROUNDS"] ?? "") ?? 5

  /// Returns the mean milliseconds of `body` over `repeats` calls after one warm-up call.
  static func time(repeats: Int = repeats, _ body: () throws -> Void) rethrows -> Double {
    try body()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeats { try body() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(repeats)
  }

  @Test func optimizerStepTimes() throws {
    let named = try Self.makeParameters()
    let parameters = named.map(\.1)
    let count = parameters.reduce(0) { $0 + $1.value.count }
    let groups = try ParameterGroup.decayGroups(named, weightDecay: 0.01)
    let fused = try AdamW(groups: groups, usesFusedKernel: true)
    let perTensor = try AdamW(groups: groups, usesFusedKernel: false)
    let lamb = try LAMB(groups: groups, usesFusedKernel: true)
    let lambPerTensor = try LAMB(groups: groups, usesFusedKernel: false)

    print("optimizer benchmark: \(named.count) tensors, \(count) parameters, \(Runtime.threadCount) threads")
    print(String(format: "  adamw fused       %8.1f ms/step", try Self.time { try fused.step(lr: 1e-4) }))
    print(String(format: "  adamw per-tensor  %8.1f ms/step", try Self.time { try perTensor.step(lr: 1e-4) }))
    print(String(format: "  lamb fused        %8.1f ms/step", try Self.time { try lamb.step(lr: 1e-4) }))
    print(String(format: "  lamb per-tensor   %8.1f ms/step", try Self.time { try lambPerTensor.step(lr: 1e-4) }))
    print(String(format: "  clipGradNorm      %8.1f ms/call", try Self.time { try clipGradNorm(parameters, maxNorm: 1e9) }))
    print(String(format: "  non-finite check  %8.1f ms/call", try Self.time { _ = try hasNonFiniteGradients(parameters) }))
  }
}
