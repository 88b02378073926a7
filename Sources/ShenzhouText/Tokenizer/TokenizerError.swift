/// Errors from loading tokenizer files and from encoding.
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A required file or directory does not exist or cannot be read.
  case fileNotReadable(path: String, reason: String)
  /// A file exists but its content is invalid. `location` names the line or JSON field.
  case invalidFile(path: String, location: String, reason: String)
  /// A setting combination that this tokenizer does not implement.
  case unsupported(path: String, feature: String)
  /// Options passed in code are invalid.
  case invalidOptions(String)
  /// Truncation cannot bring the encoding down to `maxLength`.
  case truncationFailed(String)

  public var description: String {
    switch self {
    case .fileNotReadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .invalidFile(let path, let location, let reason):
      return "invalid \(path) at \(location): \(reason)"
    case .unsupported(let path, let feature):
      return "unsupported setting in \(path): \(feature)"
    case .invalidOptions(let message):
      return "invalid tokenizer options: \(message)"
    case .truncationFailed(let message):
      return "truncation failed: \(message)"
    }
  }
}
