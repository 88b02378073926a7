// Measures pretraining throughput of one configuration for scripts/bench-pretrain: full steps (forward, backward,
// AdamW) on random token batches, plus the matmul peak of this machine for MFU. Prints one JSON object.
//
// Usage: ShenzhouTrainBench (base|small) (fp32|bf16) BATCH SEQ WARMUP STEPS [dense]
//        ShenzhouTrainBench peak
import Foundation
import ShenzhouTraining

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Best GFLOP/s of a square matmul in fp32 and bf16, the peak that MFU divides by.
func matmulPeak() throws -> [String: Double] {
  var result: [String: Double] = [:]
  for dtype in [DType.float32, .bfloat16] {
    let size = 2048
    let a = try Tensor.randn([size, size]).to(dtype: dtype)
    let b = try Tensor.randn([size, size]).to(dtype: dtype)
    _ = try a.matmul(b)
    var best = Double.infinity
    for _ in 0..<5 { best = min(best, try seconds { _ = try a.matmul(b).sum().item() }) }
    result[dtype == .float32 ? "fp32" : "bf16"] = 2 * pow(Double(size), 3) / best / 1e9
  }
  return result
}

func trainingBenchmark(arguments: [String]) throws -> [String: Double] {
  guard arguments.count >= 6, let batch = Int(arguments[2]), let length = Int(arguments[3]),
    let warmup = Int(arguments[4]), let steps = Int(arguments[5])
  else {
    throw PretrainConfigError(source: "arguments", key: "-", message: "expected (base|small) (fp32|bf16) BATCH SEQ WARMUP STEPS")
  }
  var config = BertConfig()
  config.vocabSize = 21128
  if arguments[0] == "small" {
    config.hiddenSize = 256
    config.numHiddenLayers = 4
    config.numAttentionHeads = 4
    config.intermediateSize = 1024
  }
  let dense = arguments.count > 6 && arguments[6] == "dense"
  let autocast: DType? = arguments[1] == "bf16" ? .bfloat16 : nil
  try Runtime.manualSeed(0)
  let model = try BertForMaskedLM(config: config, generator: Generator(seed: 0))
  model.train()
  let optimizer = try AdamW(groups: ParameterGroup.decayGroups(of: model, weightDecay: 0.01))
  let ids = try Tensor.randint(5, config.vocabSize, shape: [batch, length])
  // 15% of positions predicted, the same count in every row.
  let masked = try Tensor.rand([batch, length]).lt(0.15)
  let labels = try Tensor.where(masked, ids, Tensor.full([batch, length], value: -100, dtype: .int64))
  let inputs = BertInputs(inputIds: ids, attentionMask: try Tensor.ones([batch, length], dtype: .int64))
  let pass = EncoderPass(model: model, checkpointing: false, autocast: autocast, device: .cpu)
  let hiddenSize = config.hiddenSize
  let flatLabels = try labels.reshaped([-1])
  let positions = try flatLabels.ne(-100).nonzero().reshaped([-1])
  let targets = try flatLabels.indexSelect(dim: 0, index: positions)

  var forwardBackwardSeconds = 0.0
  var optimizerSeconds = 0.0
  func step() throws {
    forwardBackwardSeconds += try seconds { try forwardBackward() }
    optimizerSeconds += try seconds {
      try optimizer.step(lr: 1e-4)
      try optimizer.zeroGrad()
    }
  }
  func forwardBackward() throws {
    _ = try pass.run(inputs: inputs, keepLayers: [], lossScale: 1) { states in
      if dense {
        let logits = try model.cls.predictions(states.lastHidden)
        let loss = try logits.reshaped([-1, config.vocabSize]).crossEntropy(target: flatLabels)
        return (loss, [:])
      }
      let hidden = try states.lastHidden.reshaped([-1, hiddenSize]).indexSelect(dim: 0, index: positions)
      let loss = try model.cls.predictions(hidden).crossEntropy(target: targets)
      return (loss, [:])
    }
  }
  for _ in 0..<warmup { try step() }
  forwardBackwardSeconds = 0
  optimizerSeconds = 0
  let elapsed = try seconds { for _ in 0..<steps { try step() } }
  // Forward alone (no autograd), to split forward from backward in the profile.
  let forwardSeconds = try seconds {
    for _ in 0..<steps {
      _ = try withNoGrad {
        try pass.underAutocastForBenchmark { try model.bert(inputs).lastHiddenState.sum().item() }
      }
    }
  }
  let tokens = Double(batch * length * steps)
  // Training FLOPs per token ≈ 6 × (encoder parameters + predicted fraction × decoder parameters), plus attention.
  let layers = Double(config.numHiddenLayers)
  let hidden = Double(hiddenSize)
  let encoderParameters = layers * (4 * hidden * hidden + 2 * hidden * Double(config.intermediateSize))
  let headParameters = hidden * hidden + hidden * Double(config.vocabSize) * (dense ? 1 : 0.15)
  let attention = layers * 2 * Double(length) * hidden * 2
  let flopsPerToken = 6 * (encoderParameters + headParameters) + 3 * attention
  return [
    "tokens_per_second": tokens / elapsed, "seconds_per_step": elapsed / Double(steps),
    "gflops": flopsPerToken * tokens / elapsed / 1e9, "threads": Double(Runtime.threadCount),
    "forward_ms": forwardSeconds / Double(steps) * 1000,
    "forward_backward_ms": forwardBackwardSeconds / Double(steps) * 1000,
    "optimizer_ms": optimizerSeconds / Double(steps) * 1000,
  ]
}

do {
  let arguments = Array(CommandLine.arguments.dropFirst())
  let result = arguments.first == "peak" ? try matmulPeak() : try trainingBenchmark(arguments: arguments)
  print(JSONValue.object(result.mapValues { .number($0) }).serialized(pretty: false))
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
