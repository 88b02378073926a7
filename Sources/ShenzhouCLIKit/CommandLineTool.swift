#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A command-line program made of subcommands: dispatches to the command named by the
/// first argument, prints help, and turns thrown errors into one `error:` line and an
/// exit status.
///
/// Exit status: 0 on success and for help or version output, 1 when a command fails or a
/// command definition is invalid, 2 for a usage error (unknown command or option, invalid
/// value, missing required option), or the code of a thrown ``ExitCode``.
public struct CommandLineTool: Sendable {
  public let name: String
  public let version: String?
  public let abstract: String
  public let commands: [any Command.Type]

  public init(name: String, version: String? = nil, abstract: String = "", commands: [any Command.Type]) {
    self.name = name
    self.version = version
    self.abstract = abstract
    self.commands = commands
  }

  // MARK: - Entry points

  /// Runs the tool on `arguments` (without the program name) and exits the process with
  /// the resulting status.
  public func main(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
    let status = execute(
      arguments,
      standardOutput: { writeAll($0, to: STDOUT_FILENO) },
      standardError: { writeAll($0, to: STDERR_FILENO) })
    exit(status)
  }

  /// Runs the tool on `arguments` (without the program name) and returns the exit status.
  /// Help, version and error text go to the given writers, while commands print on their own.
  public func execute(
    _ arguments: [String],
    standardOutput: (String) -> Void,
    standardError: (String) -> Void
  ) -> Int32 {
    do {
      switch try parse(arguments) {
      case .output(let text):
        standardOutput(text)
      case .command(let command):
        try command.run()
      }
      return 0
    } catch let exitCode as ExitCode {
      return exitCode.code
    } catch let error as UsageError {
      standardError("error: \(oneLine(error.message))\n")
      return 2
    } catch {
      standardError("error: \(oneLine(describe(error)))\n")
      return 1
    }
  }

  // MARK: - Parsing

  /// What an invocation asks for: text to print (help or version) or a command to run.
  public enum Invocation {
    case output(String)
    /// A command created from the arguments and validated, ready for `run()`.
    case command(any Command)
  }

  /// Resolves `arguments` (without the program name) to help text or a validated command,
  /// without running it. Throws ``UsageError`` for an invalid invocation, and whatever the
  /// command's `init(parsed:)` or `validate()` throws.
  public func parse(_ arguments: [String]) throws -> Invocation {
    guard let first = arguments.first else {
      return .output(HelpFormatter.toolHelp(self))
    }
    switch first {
    case "-h", "--help":
      return .output(HelpFormatter.toolHelp(self))
    case "--version" where version != nil:
      return .output("\(name) \(version ?? "")\n")
    case "help":
      return .output(try helpText(for: Array(arguments.dropFirst())))
    default:
      if isOptionLike(first) {
        var candidates = ["--help"]
        if version != nil { candidates.append("--version") }
        let hint = closestName(to: first, among: candidates).map { " (did you mean \($0)?)" } ?? ""
        throw UsageError("unknown option \(first)\(hint); give a command first, such as '\(name) help'")
      }
      return try parseCommand(from: commands, arguments: arguments, path: name)
    }
  }

  private func parseCommand(
    from available: [any Command.Type], arguments: [String], path: String
  ) throws -> Invocation {
    let command = try resolve(arguments.first ?? "", among: available, path: path)
    let configuration = command.configuration
    let commandPath = "\(path) \(configuration.name)"
    let rest = Array(arguments.dropFirst())

    try checkDefinition(configuration, path: commandPath)

    if !configuration.subcommands.isEmpty {
      guard let next = rest.first else {
        let names = configuration.subcommands.map { $0.configuration.name }
        throw UsageError("'\(commandPath)' needs a command: \(listed(names, conjunction: "or"))")
      }
      if next == "-h" || next == "--help" {
        return .output(HelpFormatter.commandHelp(configuration, path: commandPath))
      }
      return try parseCommand(from: configuration.subcommands, arguments: rest, path: commandPath)
    }

    if asksForHelp(rest) {
      return .output(HelpFormatter.commandHelp(configuration, path: commandPath))
    }
    let parsed = try CommandLineParser(configuration: configuration, commandPath: commandPath).parse(rest)
    let instance = try command.init(parsed: parsed)
    try instance.validate()
    return .command(instance)
  }

  private func helpText(for words: [String]) throws -> String {
    var available = commands
    var path = name
    var configuration: CommandConfiguration?
    for word in words {
      let command = try resolve(word, among: available, path: path)
      configuration = command.configuration
      path += " \(command.configuration.name)"
      available = command.configuration.subcommands
    }
    guard let configuration else { return HelpFormatter.toolHelp(self) }
    return HelpFormatter.commandHelp(configuration, path: path)
  }

  private func resolve(_ word: String, among available: [any Command.Type], path: String) throws
    -> any Command.Type
  {
    if let match = available.first(where: { $0.configuration.name == word }) {
      return match
    }
    let names = available.map { $0.configuration.name }
    if isOptionLike(word) {
      throw UsageError("'\(path)' expects a command before options, got \(word); run '\(path) --help'")
    }
    if let suggestion = closestName(to: word, among: names) {
      throw UsageError("unknown command '\(word)' (did you mean '\(suggestion)'?)")
    }
    throw UsageError("unknown command '\(word)'; run '\(path) --help' to list the commands")
  }

  /// Returns whether `-h` or `--help` appears before any `--`.
  private func asksForHelp(_ arguments: [String]) -> Bool {
    for argument in arguments {
      if argument == "--" { return false }
      if argument == "-h" || argument == "--help" { return true }
    }
    return false
  }
}

// MARK: - Output

/// Collapses line breaks and the spaces around them into single spaces.
private func oneLine(_ message: String) -> String {
  message.split(whereSeparator: \.isNewline)
    .map { $0.trimmingSpaces() }
    .filter { !$0.isEmpty }
    .joined(separator: " ")
}

extension Substring {
  fileprivate func trimmingSpaces() -> Substring {
    var text = self
    while text.first == " " || text.first == "\t" { text.removeFirst() }
    while text.last == " " || text.last == "\t" { text.removeLast() }
    return text
  }
}

private func writeAll(_ text: String, to descriptor: Int32) {
  let bytes = Array(text.utf8)
  var offset = 0
  while offset < bytes.count {
    let written = bytes.withUnsafeBytes { buffer in
      write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
    }
    if written < 0, errno == EINTR { continue }
    guard written > 0 else { return }
    offset += written
  }
}
