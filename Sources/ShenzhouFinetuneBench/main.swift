// Fine-tunes a BertForSequenceClassification directory with Finetuner, for scripts/finetune-parity,
// scripts/bench-finetune and the determinism test.
//
//   ShenzhouFinetuneBench REQUEST.json OUTPUT.json
//
// REQUEST.json is the request that Tests/Fixtures/hf_finetune.py reads: model (directory), train and dev (JSON
// Lines files of {"text", "pair", "label"}; dev may be null), learning_rate, epochs, max_steps, batch_size,
// gradient_accumulation, warmup_ratio, weight_decay, max_grad_norm, max_length, eval_batch_size, eval_every, seed,
// precision ("fp32" or "bf16"), threads (0 keeps libtorch's default) and timed_from_step. OUTPUT.json receives
// the training plan (the micro-batches of train line indices of every update), the schedule's warmup and total
// updates, the updates after which it evaluated, the loss and learning rate of every update, the dev accuracy
// of every evaluation, and the training throughput over the updates from timed_from_step on.

import Foundation
import ShenzhouFinetune

struct BenchRequest: Decodable {
  var model: String
  var train: String
  var dev: String?
  var learningRate: Double
  var epochs: Int
  var maxSteps: Int?
  var batchSize: Int
  var gradientAccumulation: Int?
  var warmupRatio: Double
  var weightDecay: Double
  var maxGradNorm: Double
  var maxLength: Int
  var evalBatchSize: Int
  var evalEvery: Int?
  var seed: UInt64
  var precision: String
  var threads: Int?
  var timedFromStep: Int?
}

struct ExampleLine: Decodable {
  var text: String
  var pair: String?
  var label: Int?
}

struct BenchEvaluation: Encodable {
  var step: Int
  var accuracy: Double
}

struct BenchOutput: Encodable {
  var plan: [[[Int]]]
  var totalSteps: Int
  var warmupSteps: Int
  var evalSteps: [Int]
  var losses: [Double]
  var learningRates: [Double]
  var evaluations: [BenchEvaluation]
  var examplesPerSecond: Double?
  var threads: Int
}

struct BenchFailure: Error, CustomStringConvertible {
  let description: String
}

func readExamples(_ path: String) throws -> [ClassificationExample] {
  guard let data = FileManager.default.contents(atPath: path) else {
    throw BenchFailure(description: "cannot read \(path)")
  }
  let decoder = JSONDecoder()
  var examples: [ClassificationExample] = []
  for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
    do {
      let example = try decoder.decode(ExampleLine.self, from: Data(line.utf8))
      examples.append(ClassificationExample(text: example.text, pair: example.pair, label: example.label))
    } catch {
      throw BenchFailure(description: "\(path), line \(number + 1): invalid example: \(error)")
    }
  }
  return examples
}

func run(requestPath: String, outputPath: String) throws {
  guard let requestData = FileManager.default.contents(atPath: requestPath) else {
    throw BenchFailure(description: "cannot read \(requestPath)")
  }
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  let request = try decoder.decode(BenchRequest.self, from: requestData)
  if let threads = request.threads, threads > 0 { try Runtime.setThreadCount(threads) }

  var config = FinetuneConfig()
  config.learningRate = request.learningRate
  config.epochs = request.epochs
  config.maxSteps = request.maxSteps
  config.batchSize = request.batchSize
  config.gradientAccumulation = request.gradientAccumulation ?? 1
  config.warmupRatio = request.warmupRatio
  config.weightDecay = request.weightDecay
  config.maxGradNorm = request.maxGradNorm
  config.maxLength = request.maxLength
  config.evalBatchSize = request.evalBatchSize
  config.evalEvery = request.evalEvery ?? 0
  config.seed = request.seed
  guard let precision = FinetunePrecision(rawValue: request.precision) else {
    throw BenchFailure(description: "precision is \"\(request.precision)\"; expected fp32 or bf16")
  }
  config.precision = precision
  config.restoreBestAtEnd = false

  let train = try readExamples(request.train)
  let dev = try request.dev.map(readExamples) ?? []
  let (model, _) = try BertForSequenceClassification.load(directory: ModelDirectory(path: request.model))
  let tokenizer = try BertTokenizer.load(directory: request.model)
  let timedFrom = request.timedFromStep ?? 1
  var timedSeconds = 0.0
  var timedExamples = 0.0
  var learningRates: [Double] = []
  let finetuner = try Finetuner(
    task: SequenceClassificationTask(labelCount: model.config.numLabels), model: model, tokenizer: tokenizer,
    config: config,
    events: { event in
      guard case .step(let record) = event else { return }
      learningRates.append(record.learningRate)
      guard record.step >= timedFrom else { return }
      timedSeconds += record.seconds
      timedExamples += Double(record.examples)
    })
  let result = try finetuner.train(train, dev: dev)

  let plan = TrainingPlan(featureCount: train.count, config: config)
  let output = BenchOutput(
    plan: plan.steps.map(\.microBatches), totalSteps: plan.steps.count, warmupSteps: plan.warmupSteps,
    evalSteps: result.evaluations.map(\.step), losses: result.losses, learningRates: learningRates,
    evaluations: result.evaluations.map { BenchEvaluation(step: $0.step, accuracy: $0.metrics.primaryValue) },
    examplesPerSecond: timedSeconds > 0 ? timedExamples / timedSeconds : nil, threads: Runtime.threadCount)
  let encoder = JSONEncoder()
  encoder.keyEncodingStrategy = .convertToSnakeCase
  try AtomicFile.write(try encoder.encode(output), to: outputPath)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
  FileHandle.standardError.write(Data("usage: ShenzhouFinetuneBench REQUEST.json OUTPUT.json\n".utf8))
  exit(2)
}
do {
  try run(requestPath: arguments[1], outputPath: arguments[2])
} catch {
  FileHandle.standardError.write(Data("ShenzhouFinetuneBench: \(error)\n".utf8))
  exit(1)
}
