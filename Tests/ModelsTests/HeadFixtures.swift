import Foundation
import ShenzhouModels
import ShenzhouTestSupport

/// Tiny random task-head checkpoints made by Tests/Fixtures/make_tiny_heads.py with the real transformers
/// package, built once per version of the fixture scripts and reused by later runs.
enum TinyHeadFixtures {
  static let sequenceCases = ["sequence_single", "sequence_regression", "sequence_multi_label"]
  static let allCases = sequenceCases + ["token", "question_answering", "multiple_choice"]

  static let directory: Result<String, any Error> = {
    Result {
      let fixtures = TestEnvironment.repositoryRoot + "/Tests/Fixtures/"
      var hash: UInt64 = 1_469_598_103_934_665_603
      for name in ["make_tiny_heads.py", "make_tiny_bert.py"] {
        let contents = try String(contentsOfFile: fixtures + name, encoding: .utf8)
        for byte in contents.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
      }
      let output = NSTemporaryDirectory() + "shenzhou-tiny-heads-\(String(hash, radix: 16))"
      if FileManager.default.fileExists(atPath: output + "/done.json") { return output }
      try? FileManager.default.removeItem(atPath: output)
      let result = try TestEnvironment.run(TestEnvironment.python, [fixtures + "make_tiny_heads.py", output])
      guard result.status == 0 else {
        throw PythonFailure(message: "make_tiny_heads.py failed: \(result.stderr)")
      }
      return output
    }
  }()

  static func path(_ name: String) throws -> String {
    try directory.get() + "/" + name
  }

  static func modelDirectory(_ name: String) throws -> ModelDirectory {
    try ModelDirectory(path: path(name))
  }

  static func reference(_ name: String) throws -> [String: Tensor] {
    let entries = try SafeTensorsIO.read(path: try path(name) + "/reference.safetensors")
    return Dictionary(entries, uniquingKeysWith: { first, _ in first })
  }
}

/// Checks every reference gradient ("grad.<key>") against the model's, relative to the gradient's largest
/// element with an absolute floor of 1e-7 for gradients that are zero up to rounding. Returns the problems and
/// the number of gradients compared.
func compareGradients(_ model: Module, reference: [String: Tensor]) throws -> (problems: [String], compared: Int) {
  var problems: [String] = []
  var compared = 0
  for (key, parameter) in model.namedParameters() {
    guard let expected = reference["grad." + key] else { continue }
    guard let actual = parameter.grad else {
      problems.append("no gradient for \(key)")
      continue
    }
    let difference = try maxAbsDifference(actual, expected)
    let scale = try expected.abs().max().item()
    if difference > 1e-4 * scale + 1e-7 {
      problems.append("gradient of \(key) differs by \(difference) (scale \(scale))")
    }
    compared += 1
  }
  return (problems, compared)
}
