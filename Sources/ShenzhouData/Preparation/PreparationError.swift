// MARK: - Preparation errors

/// Error raised while preparing a corpus. Each case names the file and, where there is one, the line
/// and byte offset, and its description gives the fix.
public enum PreparationError: Error, Equatable, Sendable, CustomStringConvertible {
  case noInputs
  case inputNotFound(path: String)
  case inputUnreadable(path: String, reason: String)
  case gzipUnavailable(path: String)
  case gzipFailed(path: String, reason: String)
  /// `byteOffset` counts from the start of the file, in decompressed bytes when `decompressed` is true.
  case invalidUTF8(path: String, lineNumber: Int, byteOffset: Int64, decompressed: Bool)
  case invalidOption(name: String, value: String, reason: String)
  case outputNotEmpty(directory: String)
  case outputFailed(path: String, reason: String)
  case tokenIDOutOfRange(id: Int32, vocabularySize: Int, path: String, lineNumber: Int)
  case encodingFailed(path: String, lineNumber: Int, reason: String)
  case invalidSegmentedLine(path: String, lineNumber: Int, reason: String)
  case emptyCorpus(paths: [String])

  public var description: String {
    switch self {
    case .noInputs:
      return "no corpus files given; pass at least one UTF-8 text file"
    case .inputNotFound(let path):
      return "corpus file not found: \(path); check the path"
    case .inputUnreadable(let path, let reason):
      return "cannot read corpus file \(path): \(reason)"
    case .gzipUnavailable(let path):
      return "\(path) is gzip-compressed but no gzip executable was found on PATH; "
        + "install gzip or decompress the file first"
    case .gzipFailed(let path, let reason):
      return "decompressing \(path) failed: \(reason); check that the file is a complete gzip archive"
    case .invalidUTF8(let path, let lineNumber, let byteOffset, let decompressed):
      let offsetKind = decompressed ? "decompressed byte offset" : "byte offset"
      return "invalid UTF-8 in \(path) at line \(lineNumber), \(offsetKind) \(byteOffset); "
        + "convert the file to UTF-8 or skip such lines (--skip-invalid-utf8 with shenzhou prepare)"
    case .invalidOption(let name, let value, let reason):
      return "invalid value \(value) for \(name): \(reason)"
    case .outputNotEmpty(let directory):
      return "output directory \(directory) already contains a prepared corpus or shard files; "
        + "choose another directory or replace it (--overwrite with shenzhou prepare)"
    case .outputFailed(let path, let reason):
      return "writing \(path) failed: \(reason); check free disk space and permissions"
    case .tokenIDOutOfRange(let id, let vocabularySize, let path, let lineNumber):
      return "the encoder returned token id \(id) for \(path) line \(lineNumber), "
        + "outside the vocabulary of \(vocabularySize) tokens; check that the encoder and vocabulary match"
    case .encodingFailed(let path, let lineNumber, let reason):
      return "encoding \(path) line \(lineNumber) failed: \(reason)"
    case .invalidSegmentedLine(let path, let lineNumber, let reason):
      return "invalid pre-segmented text in \(path) line \(lineNumber): \(reason); "
        + "fix the line, or prepare the file as raw text without the pre-segmented option"
    case .emptyCorpus(let paths):
      return "the corpus files produced no tokens: \(paths.joined(separator: ", ")); "
        + "check the files and the document format option"
    }
  }
}
