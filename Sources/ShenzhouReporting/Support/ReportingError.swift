/// A failure of one of the report writers or readers. The description names the file and, for a
/// log that cannot be read, the line, and states what to do next.
public struct ReportingError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The broad cause, for callers that react differently to each.
  public enum Kind: Sendable, Equatable {
    /// The operating system rejected a file or folder operation.
    case fileSystem
    /// The caller passed a value that the format cannot store, such as an empty tag.
    case invalidArgument
    /// An existing log file contains a line that cannot be parsed.
    case malformedLog
    /// The writer was used after `close()`.
    case closed
  }

  public let kind: Kind
  /// The file or folder involved, when there is one.
  public let path: String?
  /// The 1-based line number in `path`, for ``Kind/malformedLog``.
  public let line: Int?
  /// The description of the failure and its fix, without the path and line prefix.
  public let message: String

  public init(_ kind: Kind, path: String? = nil, line: Int? = nil, message: String) {
    self.kind = kind
    self.path = path
    self.line = line
    self.message = message
  }

  public var description: String {
    guard let path else { return message }
    guard let line else { return "\(path): \(message)" }
    return "\(path):\(line): \(message)"
  }
}
