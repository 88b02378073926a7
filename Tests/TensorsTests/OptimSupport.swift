import Foundation
import ShenzhouNN

// MARK: - Python reference

/// Values from Tests/Fixtures/optim_reference.py, which runs torch.optim.AdamW, a written-out LAMB, transformers'
/// schedules and torch.nn.utils.clip_grad_norm_.
struct OptimReference: Decodable, Sendable {
  struct ParameterSpec: Decodable, Sendable {
    let name: String
    let shape: [Int]
    let values: [Double]
  }

  struct Run: Decodable, Sendable {
    let beta1: Double
    let beta2: Double
    let eps: Double
    let weightDecay: Double
    /// Parameter values by name after each step.
    let history: [[String: [Double]]]
  }

  struct Schedule: Decodable, Sendable {
    let kind: String
    let peak: Double
    let warmup: Int
    let total: Int
    let minRatio: Double
    let cycles: Double
    let lrs: [Double]
  }

  struct Clipping: Decodable, Sendable {
    let maxNorm: Double
    let shapes: [[Int]]
    let grads: [[Double]]
    let totalNorm: Double
    let clipped: [[Double]]
  }

  let parameters: [ParameterSpec]
  let noDecay: [String]
  let lrs: [Double]
  /// Per step, the flat gradient of each parameter, or nil when it has none that step.
  let grads: [[String: [Double]?]]
  let adamw: Run
  let adamwFused: [[String: [Double]]]
  let lamb: Run
  let schedules: [Schedule]
  let clipping: [Clipping]

  /// Runs the reference script once per test process; every test that needs it shares the result.
  static let shared: Result<OptimReference, any Error> = Result { try generate() }

  static func load() throws -> OptimReference { try shared.get() }

  private static func generate() throws -> OptimReference {
    let root = repositoryRoot
    let python = ProcessInfo.processInfo.environment["SHENZHOU_PYTHON"] ?? root + "/.venv/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else {
      throw ReferenceFailure(message: "Python not found at \(python); run scripts/setup or set SHENZHOU_PYTHON")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [root + "/Tests/Fixtures/optim_reference.py"]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Drain stderr on another thread so that neither pipe can fill up and block the child.
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errorData = errors.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    drained.wait()
    guard process.terminationStatus == 0 else {
      let message = String(decoding: errorData, as: UTF8.self)
      throw ReferenceFailure(message: "optim_reference.py exited with \(process.terminationStatus): \(message)")
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(OptimReference.self, from: data)
  }

  static var repositoryRoot: String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }
}

struct ReferenceFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

// MARK: - Test model

/// A module with fixed children, to build parameter names such as `embeddings.LayerNorm.weight`.
final class Container: Module, @unchecked Sendable {
  let entries: [(String, Module)]

  init(_ entries: [(String, Module)]) {
    self.entries = entries
    super.init()
  }

  override var children: [(String, Module)] { entries }
}

/// Builds the model whose trainable parameters optim_reference.py lists, plus a frozen `pooler.dense.weight`.
func makeReferenceModel() throws -> Module {
  let pooler = try Linear(inFeatures: 4, outFeatures: 2, bias: false, generator: try Generator(seed: 3))
  try pooler.freeze()
  return Container([
    (
      "embeddings",
      Container([
        ("word_embeddings", try Embedding(count: 10, dimension: 4)),
        ("LayerNorm", try LayerNorm(dimension: 4, eps: 1e-12)),
      ])
    ),
    ("encoder", Container([("dense", try Linear(inFeatures: 4, outFeatures: 3))])),
    ("pooler", Container([("dense", pooler)])),
  ])
}

/// Sets every reference parameter of `model` to its initial value from the reference.
func loadInitialValues(_ reference: OptimReference, into model: Module) throws {
  let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters())
  for spec in reference.parameters {
    guard let parameter = parameters[spec.name] else {
      throw ReferenceFailure(message: "the test model has no parameter \(spec.name)")
    }
    try parameter.value.assign(Tensor(spec.values.map { Float($0) }, shape: spec.shape))
  }
}

/// Sets the gradients of reference step `step`, clearing those that the reference leaves out.
func setGradients(_ reference: OptimReference, step: Int, on model: Module) throws {
  let shapes = Dictionary(uniqueKeysWithValues: reference.parameters.map { ($0.name, $0.shape) })
  for (name, parameter) in model.namedParameters() where !parameter.isFrozen {
    guard let shape = shapes[name], let entry = reference.grads[step][name] else {
      throw ReferenceFailure(message: "the reference has no gradient entry for \(name) at step \(step)")
    }
    try parameter.value.setGrad(entry.map { try Tensor($0.map { Float($0) }, shape: shape) })
  }
}

// MARK: - Comparisons

/// Returns the largest absolute element difference between a tensor and expected values.
///
/// The result is infinity when the counts differ or any difference is NaN, so a NaN cannot pass a tolerance check.
func maxAbsoluteDifference(_ tensor: Tensor, _ expected: [Double]) throws -> Double {
  let actual = try tensor.toArray(Double.self)
  guard actual.count == expected.count else { return .infinity }
  var largest = 0.0
  for (value, target) in zip(actual, expected) {
    let difference = Swift.abs(value - target)
    if difference.isNaN { return .infinity }
    largest = Swift.max(largest, difference)
  }
  return largest
}

/// Returns the largest absolute element difference between two arrays, with the same NaN and count rules.
func maxAbsoluteDifference(_ actual: [Float], _ expected: [Float]) -> Double {
  guard actual.count == expected.count else { return .infinity }
  var largest = 0.0
  for (value, target) in zip(actual, expected) {
    let difference = Swift.abs(Double(value) - Double(target))
    if difference.isNaN { return .infinity }
    largest = Swift.max(largest, difference)
  }
  return largest
}

/// Copies a tensor through its raw bytes, as writing it to a checkpoint file and reading it back does.
func roundTripThroughBytes(_ tensor: Tensor) throws -> Tensor {
  let bytes = try tensor.rawBytes()
  return try bytes.withUnsafeBytes { buffer in
    try Tensor(bytes: buffer, dtype: tensor.dtype, shape: tensor.shape)
  }
}
