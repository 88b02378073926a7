import Foundation

/// Locations and helpers that tests share: the repository root, the project's Python, the shared data folder,
/// and running Python reference scripts.
public enum TestEnvironment {
  /// The repository root, found from this file's path.
  public static let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The project's Python: $SHENZHOU_PYTHON, else .venv/bin/python under the repository root.
  public static var python: String {
    ProcessInfo.processInfo.environment["SHENZHOU_PYTHON"] ?? repositoryRoot + "/.venv/bin/python"
  }

  public static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: python) }

  /// `../shared/data` beside the checkout, or $SHENZHOU_SHARED_DATA.
  public static var sharedData: String {
    ProcessInfo.processInfo.environment["SHENZHOU_SHARED_DATA"]
      ?? URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared/data").path
  }

  public static func sharedDataFile(_ relative: String) -> String? {
    let path = sharedData + "/" + relative
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }

  /// The built `shenzhou` executable next to the test bundle.
  public static var shenzhouBinary: String {
    let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [
      bundle.appendingPathComponent("shenzhou").path,
      repositoryRoot + "/.build/debug/shenzhou",
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
  }

  /// Creates and returns a new empty temporary directory.
  public static func temporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "shenzhou-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs a program, feeding `input` on stdin, and returns its exit status, stdout and stderr.
  @discardableResult
  public static func run(_ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:])
    throws -> (status: Int32, stdout: String, stderr: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = stdin
    try process.run()
    // Read both pipes on background threads so that a full pipe cannot block the child.
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      outData = stdout.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
      errData = stderr.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try? stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
  }

  /// Runs a Python script with the project's Python and returns stdout; throws with stderr when it fails.
  public static func runPython(_ script: String, arguments: [String] = [], input: String? = nil) throws -> String {
    let result = try run(python, ["-c", script] + arguments, input: input)
    guard result.status == 0 else {
      throw PythonFailure(message: "python exited with \(result.status): \(result.stderr)")
    }
    return result.stdout
  }
}

public struct PythonFailure: Error, CustomStringConvertible {
  public let message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}
