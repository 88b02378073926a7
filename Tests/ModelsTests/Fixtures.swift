import Foundation
import ShenzhouModels
import ShenzhouTestSupport

/// Tiny random BERT checkpoints made by Tests/Fixtures/make_tiny_bert.py with the real transformers package,
/// built once per script version and reused by later runs.
enum TinyBertFixtures {
  static let names = ["gelu_safetensors", "gelu_new_bin", "relu_sharded"]

  static let directory: Result<String, any Error> = {
    Result {
      let script = TestEnvironment.repositoryRoot + "/Tests/Fixtures/make_tiny_bert.py"
      let contents = try String(contentsOfFile: script, encoding: .utf8)
      var hash: UInt64 = 1_469_598_103_934_665_603
      for byte in contents.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
      let output = NSTemporaryDirectory() + "shenzhou-tiny-bert-\(String(hash, radix: 16))"
      if FileManager.default.fileExists(atPath: output + "/done.json") { return output }
      try? FileManager.default.removeItem(atPath: output)
      let result = try TestEnvironment.run(TestEnvironment.python, [script, output])
      guard result.status == 0 else {
        throw PythonFailure(message: "make_tiny_bert.py failed: \(result.stderr)")
      }
      return output
    }
  }()

  static func path(_ name: String) throws -> String {
    try directory.get() + "/" + name
  }

  static func reference(_ name: String) throws -> [String: Tensor] {
    let entries = try SafeTensorsIO.read(path: try path(name) + "/reference.safetensors")
    return Dictionary(entries, uniquingKeysWith: { first, _ in first })
  }
}

/// max |a − b| over all elements.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
  try (a.to(dtype: .float64) - b.to(dtype: .float64)).abs().max().item()
}
