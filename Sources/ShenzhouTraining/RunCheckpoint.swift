import Foundation
import ShenzhouData
import ShenzhouModels
import ShenzhouNN

/// Training checkpoints: `checkpoints/step-NNNNNNN/` holding the model, the optimizer state, the EMA teacher when
/// there is one, `loader_state.json` (the data position) and `trainer_state.json` (step, generator states, strategy
/// state, config).
///
/// A checkpoint is written into a temporary directory that is renamed into place only when complete, so a process
/// killed while saving leaves the previous checkpoints intact and no directory that looks valid.
enum RunCheckpoint {
  static let prefix = "step-"
  static let stateFile = "trainer_state.json"
  static let loaderFile = "loader_state.json"

  struct Restored {
    var step: Int
    var loaderState: LoaderState
  }

  static func name(step: Int) -> String { prefix + String(format: "%07d", step) }

  /// Returns the newest complete checkpoint directory, or nil.
  static func latest(in directory: String) throws -> String? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let complete = names.filter { $0.hasPrefix(prefix) && !$0.contains(".tmp") }.sorted()
    for name in complete.reversed() where FileManager.default.fileExists(atPath: "\(directory)/\(name)/\(stateFile)") {
      return "\(directory)/\(name)"
    }
    return nil
  }

  static func save(
    step: Int, in directory: String, model: BertForMaskedLM, teacher: BertForMaskedLM?,
    strategy: any TrainingStrategy, loaderState: LoaderState, dropoutGenerator: Generator, config: PretrainConfig,
    keepLast: Int
  ) throws -> String {
    let final = "\(directory)/\(name(step: step))"
    let temporary = final + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    try? FileManager.default.removeItem(atPath: temporary)
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)

    try SafeTensorsIO.write(
      model.namedParameters().map { ($0.0, $0.1.value) }, metadata: ["format": "pt"],
      to: temporary + "/model.safetensors")
    try SafeTensorsIO.write(try strategy.stateTensors(), to: temporary + "/optimizer.safetensors")
    if let teacher {
      try SafeTensorsIO.write(teacher.namedParameters().map { ($0.0, $0.1.value) }, to: temporary + "/teacher.safetensors")
    }
    pauseForCrashTests(step: step)
    let state: JSONValue = .object([
      "step": .number(Double(step)),
      "cpu_generator_state": .string(hex(try Generator.defaultCPUState())),
      "dropout_generator_state": .string(hex(try dropoutGenerator.state())),
      "strategy": try strategy.scalarState(),
      "config": config.json,
      "model_config": model.config.json(architecture: "BertForMaskedLM"),
    ])
    // The loader state contains 64-bit generator words, which JSONValue's Double numbers would round, so it is
    // written with JSONEncoder into a file of its own.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try AtomicFile.write(try encoder.encode(loaderState), to: temporary + "/" + loaderFile)
    try AtomicFile.write(state.serialized() + "\n", to: temporary + "/" + stateFile)
    try? FileManager.default.removeItem(atPath: final)
    guard rename(temporary, final) == 0 else {
      throw CheckpointError.writeFailed(final, String(cString: strerror(errno)))
    }
    try prune(directory: directory, keepLast: keepLast)
    return final
  }

  /// Deletes all but the newest `keepLast` checkpoints and leftovers of interrupted saves.
  static func prune(directory: String, keepLast: Int) throws {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let pid = ProcessInfo.processInfo.processIdentifier
    for name in names where name.contains(".tmp-") && !name.hasSuffix(".tmp-\(pid)") {
      try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
    }
    let complete = names.filter { $0.hasPrefix(prefix) && !$0.contains(".tmp") }.sorted()
    for name in complete.dropLast(keepLast) {
      try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
    }
  }

  static func load(
    directory: String, model: BertForMaskedLM, teacher: BertForMaskedLM?, strategy: any TrainingStrategy,
    dropoutGenerator: Generator, device: Device
  ) throws -> Restored {
    let statePath = directory + "/" + stateFile
    guard let data = FileManager.default.contents(atPath: statePath) else {
      throw ResumeError(message: "\(statePath) is missing; the checkpoint is incomplete")
    }
    let state = try JSONValue.parse(data)
    guard let step = state["step"]?.intValue,
      let generatorHex = state["cpu_generator_state"]?.stringValue,
      let dropoutHex = state["dropout_generator_state"]?.stringValue, let strategyState = state["strategy"]
    else {
      throw ResumeError(
        message: "\(statePath) lacks step, cpu_generator_state, dropout_generator_state or strategy")
    }
    try model.loadStateDict(SafeTensorsIO.read(path: directory + "/model.safetensors"), source: directory)
    if let teacher {
      let path = directory + "/teacher.safetensors"
      guard FileManager.default.fileExists(atPath: path) else {
        throw ResumeError(message: "\(directory) has no teacher.safetensors but objective.ema_alpha is set")
      }
      try teacher.loadStateDict(SafeTensorsIO.read(path: path), source: path)
    }
    let optimizerTensors = try SafeTensorsIO.read(path: directory + "/optimizer.safetensors").map {
      ($0.0, try $0.1.to(device: device))
    }
    try strategy.load(scalarState: strategyState, stateTensors: optimizerTensors)
    try Generator.restoreDefaultCPU(state: try bytes(hex: generatorHex))
    try dropoutGenerator.restore(state: try bytes(hex: dropoutHex))
    guard let loaderData = FileManager.default.contents(atPath: directory + "/" + loaderFile) else {
      throw ResumeError(message: "\(directory)/\(loaderFile) is missing; the checkpoint is incomplete")
    }
    let loaderState = try JSONDecoder().decode(LoaderState.self, from: loaderData)
    return Restored(step: step, loaderState: loaderState)
  }

  /// Crash tests set SHENZHOU_TEST_PAUSE_AT_STEP=N and SHENZHOU_TEST_PAUSE_MARKER=PATH: the save of step N then
  /// creates PATH and sleeps, half-written, so that the test can kill the process mid-save.
  static func pauseForCrashTests(step: Int) {
    let environment = ProcessInfo.processInfo.environment
    guard let text = environment["SHENZHOU_TEST_PAUSE_AT_STEP"], Int(text) == step,
      let marker = environment["SHENZHOU_TEST_PAUSE_MARKER"]
    else { return }
    _ = FileManager.default.createFile(atPath: marker, contents: nil)
    Thread.sleep(forTimeInterval: 120)
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var output = [UInt8]()
    output.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      output.append(digits[Int(byte >> 4)])
      output.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: output, as: UTF8.self)
  }

  static func bytes(hex: String) throws -> [UInt8] {
    let characters = Array(hex.utf8)
    guard characters.count % 2 == 0 else { throw ResumeError(message: "generator state has odd hex length") }
    func value(_ c: UInt8) throws -> UInt8 {
      switch c {
      case 48...57: return c - 48
      case 97...102: return c - 87
      default: throw ResumeError(message: "generator state is not hex")
      }
    }
    return try stride(from: 0, to: characters.count, by: 2).map {
      try value(characters[$0]) << 4 | value(characters[$0 + 1])
    }
  }
}
