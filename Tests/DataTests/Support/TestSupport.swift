import Foundation
import ShenzhouData
import Testing

// MARK: - Paths

enum TestPaths {
  /// Repository root, found from this file's location.
  static let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
  }()

  static let sharedData = repositoryRoot + "/../shared/data"
  static let vocabulary = sharedData + "/vocab/bert-base-chinese-vocab.txt"
  static let clueCorpus = sharedData + "/corpus/clue-corpus-small-sample.txt"
  static let wikiCorpus = sharedData + "/corpus/zhwiki-sample.txt"

  static var hasVocabulary: Bool { FileManager.default.fileExists(atPath: vocabulary) }
  static var hasCorpus: Bool {
    hasVocabulary && FileManager.default.fileExists(atPath: clueCorpus)
      && FileManager.default.fileExists(atPath: wikiCorpus)
  }
  static let missingDataReason: Comment = "needs ../shared/data with the BERT Chinese vocabulary and corpus samples"
}

// MARK: - Temporary directories

/// A fresh directory under the system temporary folder, removed when the value is released.
final class TemporaryDirectory {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "shenzhou-data-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Writes `bytes` to `name` inside the directory and returns the full path.
  func write(_ name: String, bytes: [UInt8]) throws -> String {
    let file = path + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }

  func write(_ name: String, text: String) throws -> String {
    try write(name, bytes: Array(text.utf8))
  }
}

// MARK: - Processes

enum ProcessRunner {
  /// Runs an executable from PATH and returns its standard output. Throws when it exits non-zero.
  @discardableResult
  static func run(_ arguments: [String], input: Data? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    var inputFile: String?
    if let input {
      // Input goes through a file, because writing a large input to a pipe while no thread reads the
      // output pipe would deadlock.
      let path = NSTemporaryDirectory() + "shenzhou-process-input-" + UUID().uuidString
      try input.write(to: URL(fileURLWithPath: path))
      inputFile = path
      process.standardInput = FileHandle(forReadingAtPath: path)
    }
    defer {
      if let inputFile { try? FileManager.default.removeItem(atPath: inputFile) }
    }
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw NSError(domain: "ProcessRunner", code: Int(process.terminationStatus),
        userInfo: [NSLocalizedDescriptionKey: "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)"])
    }
    return data
  }

  /// Returns the `sha256sum` digest of a file.
  static func sha256sum(_ path: String) throws -> String {
    let output = String(decoding: try run(["sha256sum", path]), as: UTF8.self)
    return String(output.prefix(64))
  }
}
