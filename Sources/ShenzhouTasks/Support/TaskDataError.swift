// MARK: - Location

/// The place in a file where a problem was found.
public enum RecordLocation: Sendable, Hashable, CustomStringConvertible {
  /// The file as a whole, such as an empty file or one that cannot be read.
  case file
  /// A 1-based line of a line-oriented file (JSON Lines, TSV, labels.json).
  case line(Int)
  /// A 1-based line and column (in Unicode scalars) of a JSON syntax error.
  case lineAndColumn(line: Int, column: Int)
  /// A path inside one JSON document, such as `data[3].paragraphs[0].qas[2]`, for formats that are a
  /// single document (CMRC2018, C3).
  case jsonPath(String)

  public var description: String {
    switch self {
    case .file: "file"
    case .line(let line): "line \(line)"
    case .lineAndColumn(let line, let column): "line \(line), column \(column)"
    case .jsonPath(let path): path.isEmpty ? "top level" : path
    }
  }
}

// MARK: - Error

/// A data, label or predictions file that cannot be used, with the file, the record's location and
/// the field that is wrong.
public struct TaskDataError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// The file does not exist or cannot be read.
    case unreadableFile
    /// The file or one of its lines is not valid JSON, or not valid UTF-8.
    case invalidJSON
    /// A record lacks a field, has a field of the wrong type or a value out of range.
    case invalidRecord
    /// A label, entity type or answer that is not in the task's label set or choices.
    case unknownLabel
    /// Two records or predictions with the same id.
    case duplicateID
    /// A labelled record without a prediction.
    case missingPrediction
    /// A prediction whose id is not in the labelled file.
    case unknownID
  }

  public let kind: Kind
  public let path: String
  public let location: RecordLocation
  /// The record field at fault, such as `label` or `target.span1_index`, when one field is.
  public let field: String?
  public let message: String

  public init(_ kind: Kind, path: String, location: RecordLocation, field: String? = nil, message: String) {
    self.kind = kind
    self.path = path
    self.location = location
    self.field = field
    self.message = message
  }

  public var description: String {
    var text = path
    if location != .file { text += ", \(location)" }
    if let field { text += ", field \"\(field)\"" }
    return text + ": " + message
  }
}
