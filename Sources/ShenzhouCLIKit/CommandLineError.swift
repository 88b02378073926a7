/// A mistake in how the command was invoked: an unknown option, a missing or invalid value,
/// options that conflict. The tool prints `error: MESSAGE` and exits with status 2.
///
/// Throw it from ``Command/validate()`` for checks across several options:
///
///     throw UsageError("--warmup-steps (\(warmup)) must be smaller than --steps (\(steps))")
public struct UsageError: Error, CustomStringConvertible, Equatable {
  /// One line that says what is wrong and what is expected, without the `error:` prefix.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}

/// Ends the tool with `code` and prints nothing more. A command throws it when it has
/// already reported its own outcome, such as a check that found problems.
public struct ExitCode: Error, Equatable {
  public let code: Int32

  public init(_ code: Int32) {
    self.code = code
  }

  public static let success = ExitCode(0)
  public static let failure = ExitCode(1)
  public static let usageError = ExitCode(2)
}

/// A mistake in a command's declaration, such as two options with one name or a lookup of
/// an option that the configuration does not declare. It is a bug in the program, not in
/// the invocation, so the tool reports it with exit status 1.
public struct CommandDefinitionError: Error, CustomStringConvertible, Equatable {
  public let message: String

  init(_ message: String) {
    self.message = message
  }

  public var description: String { "internal error in the command definition: \(message)" }
}
