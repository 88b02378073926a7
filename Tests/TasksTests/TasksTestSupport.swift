import Foundation
import ShenzhouTestSupport
import Testing

/// Paths of the real CLUE files and helpers for hand-made bad files.
enum TaskFixtures {
  /// The CLUE data folder beside the checkout.
  static var clueDirectory: String { TestEnvironment.sharedData + "/clue" }

  static var hasCLUEData: Bool {
    FileManager.default.fileExists(atPath: clueDirectory + "/afqmc/dev.json")
  }

  static let missingDataReason: Comment = "needs the CLUE files in ../shared/data/clue beside the checkout"

  /// Returns the path of a CLUE file, such as `afqmc/dev.json`.
  static func clue(_ relative: String) -> String {
    clueDirectory + "/" + relative
  }

  /// Writes `content` to a new file in a fresh temporary directory and returns its path.
  static func write(_ content: String, name: String = "data.json") throws -> String {
    let directory = try TestEnvironment.temporaryDirectory("tasks")
    let path = directory + "/" + name
    try content.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Writes raw bytes to a new file and returns its path.
  static func write(bytes: [UInt8], name: String = "data.json") throws -> String {
    let directory = try TestEnvironment.temporaryDirectory("tasks")
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Runs a Python script with the project's Python and returns its stdout lines.
  static func python(_ script: String, _ arguments: [String] = []) throws -> [String] {
    try TestEnvironment.runPython(script, arguments: arguments).split(separator: "\n").map(String.init)
  }
}
