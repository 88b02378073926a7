/// Errors from loading segmentation dictionaries and models, adding user words, and reading
/// externally segmented text.
///
/// Each case names the file and the 1-based line where that applies. Its `description` states
/// what was expected, so that the user can fix the input.
public enum SegmentationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A file could not be opened or read.
  case unreadableFile(path: String, reason: String)
  /// A line of a file is not valid UTF-8.
  case invalidUTF8(path: String, line: Int)
  /// A field on a line of a file is invalid, and `message` states what was expected.
  case invalidLine(path: String, line: Int, field: String, message: String)
  /// A file as a whole is invalid, for example because a required entry is missing.
  case invalidFile(path: String, message: String)
  /// A word or frequency passed to the user-dictionary API is invalid.
  case invalidWord(word: String, message: String)
  /// No path was given and the default file was not found in any searched folder.
  case defaultDataNotFound(file: String, searched: [String])

  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .invalidUTF8(let path, let line):
      return "\(path):\(line): invalid UTF-8; save the file as UTF-8"
    case .invalidLine(let path, let line, let field, let message):
      return "\(path):\(line): invalid \(field): \(message)"
    case .invalidFile(let path, let message):
      return "\(path): \(message)"
    case .invalidWord(let word, let message):
      return "invalid user word '\(word)': \(message)"
    case .defaultDataNotFound(let file, let searched):
      let folders = searched.isEmpty ? "(none)" : searched.joined(separator: ", ")
      return "\(file) not found in \(folders); run scripts/setup, set SHENZHOU_JIEBA_DIR "
        + "to the folder that contains it, or pass its path"
    }
  }
}
