import Foundation
import ShenzhouTensors
import Testing

// MARK: - Python reference

/// Runs the Python interpreter of the repository's `.venv` (or `$SHENZHOU_PYTHON`) for
/// parity checks against the safetensors package.
enum PythonReference {
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static var executable: String {
    ProcessInfo.processInfo.environment["SHENZHOU_PYTHON"]
      ?? repositoryRoot.appendingPathComponent(".venv/bin/python").path
  }

  static var isAvailable: Bool {
    FileManager.default.isExecutableFile(atPath: executable)
  }

  static let unavailableReason: Comment =
    "Python with safetensors not found; run scripts/setup or set SHENZHOU_PYTHON"

  /// Runs `script` with `arguments` and returns its standard output parsed as JSON.
  static func runJSON(_ script: String, arguments: [String] = []) throws -> Any {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-c", script] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw PythonFailure(message: "python exited with \(process.terminationStatus): \(errorText)")
    }
    return try JSONSerialization.jsonObject(with: data)
  }
}

struct PythonFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

// MARK: - Files

/// A fresh temporary folder, removed when the value is no longer used.
final class TemporaryFolder {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "shenzhou-safetensors-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  func file(_ name: String) -> String {
    path + "/" + name
  }

  func contents() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
  }
}

// MARK: - Tensor fixtures

func hexString(_ bytes: some Sequence<UInt8>) -> String {
  bytes.map { byte in
    let digits = String(byte, radix: 16)
    return byte < 16 ? "0" + digits : digits
  }.joined()
}

/// Deterministic bytes for a tensor: byte `i` is `(i * 7 + seed) % 251`, except BOOL,
/// whose bytes are 0 or 1.
func patternBytes(count: Int, seed: Int, dtype: SafeTensorsDType) -> [UInt8] {
  (0..<count).map { index in
    dtype == .bool ? UInt8((index + seed) % 2) : UInt8((index * 7 + seed) % 251)
  }
}

/// A tensor fixture with its raw bytes.
struct SampleTensor {
  var name: String
  var dtype: SafeTensorsDType
  var shape: [Int]
  var bytes: [UInt8]

  var entry: SafeTensorsEntry {
    SafeTensorsEntry(name: name, dtype: dtype, shape: shape, bytes: bytes)
  }
}

/// Returns one tensor per supported dtype plus edge cases: a scalar, an empty tensor and a
/// non-ASCII name.
func sampleTensors() -> [SampleTensor] {
  var tensors: [SampleTensor] = []
  for (index, dtype) in SafeTensorsDType.allCases.enumerated() {
    tensors.append(
      SampleTensor(
        name: "layer.\(dtype.rawValue.lowercased()).weight", dtype: dtype, shape: [2, 3],
        bytes: patternBytes(count: 6 * dtype.itemSize, seed: index, dtype: dtype)))
  }
  let scalar = withUnsafeBytes(of: Float(2.5)) { Array($0) }
  tensors.append(SampleTensor(name: "scalar", dtype: .float32, shape: [], bytes: scalar))
  tensors.append(SampleTensor(name: "empty", dtype: .float32, shape: [0, 4], bytes: []))
  tensors.append(
    SampleTensor(name: "嵌入.权重", dtype: .float16, shape: [4], bytes: patternBytes(count: 8, seed: 99, dtype: .float16)))
  return tensors
}

/// A tensor as the Python manifest script prints it.
struct TensorRecord: Equatable, CustomStringConvertible {
  var dtype: String
  var shape: [Int]
  var hex: String

  var description: String { "\(dtype)\(shape) \(hex)" }
}

func records(fromPython json: Any) -> [String: TensorRecord] {
  guard let object = json as? [String: Any], let tensors = object["tensors"] as? [String: [String: Any]] else {
    return [:]
  }
  return tensors.compactMapValues { fields in
    guard let dtype = fields["dtype"] as? String, let shape = fields["shape"] as? [Int],
      let hex = fields["hex"] as? String
    else { return nil }
    return TensorRecord(dtype: dtype, shape: shape, hex: hex)
  }
}

func records(of tensors: [SampleTensor]) -> [String: TensorRecord] {
  var result: [String: TensorRecord] = [:]
  for tensor in tensors {
    result[tensor.name] = TensorRecord(
      dtype: torchDTypeNames[tensor.dtype] ?? "?", shape: tensor.shape, hex: hexString(tensor.bytes))
  }
  return result
}

func records(of views: [SafeTensorView]) -> [String: TensorRecord] {
  var result: [String: TensorRecord] = [:]
  for view in views {
    result[view.name] = TensorRecord(
      dtype: torchDTypeNames[view.dtype] ?? "?", shape: view.shape, hex: hexString(view.bytes))
  }
  return result
}

/// Python that prints a manifest of every tensor in the safetensors files given as
/// arguments (a folder with an index is loaded through its weight_map).
let pythonManifestScript = """
  import json, os, sys, torch
  from safetensors import safe_open
  out = {"tensors": {}, "metadata": {}}
  for path in sys.argv[1:]:
      with safe_open(path, framework="pt") as f:
          out["metadata"][os.path.basename(path)] = f.metadata()
          for name in f.keys():
              t = f.get_tensor(name)
              raw = t.reshape(-1).view(torch.uint8).numpy().tobytes()
              dtype = str(t.dtype).replace("torch.", "")
              out["tensors"][name] = {"dtype": dtype, "shape": list(t.shape), "hex": raw.hex()}
  print(json.dumps(out))
  """

/// The torch dtype name for each safetensors dtype, as `str(tensor.dtype)` prints it.
let torchDTypeNames: [SafeTensorsDType: String] = [
  .bool: "bool", .uint8: "uint8", .int8: "int8", .float8E5M2: "float8_e5m2", .float8E4M3: "float8_e4m3fn",
  .int16: "int16", .uint16: "uint16", .float16: "float16", .bfloat16: "bfloat16", .int32: "int32",
  .uint32: "uint32", .float32: "float32", .float64: "float64", .int64: "int64", .uint64: "uint64",
]
