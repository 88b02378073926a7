/// Typed access to the fields of one record, with errors that name the file, the record's location
/// and the field.
struct RecordFields {
  let path: String
  let location: RecordLocation
  let object: JSONObject

  // MARK: - Errors

  func invalid(_ field: String?, _ message: String) -> TaskDataError {
    TaskDataError(.invalidRecord, path: path, location: location, field: field, message: message)
  }

  func unknownLabel(_ field: String, _ message: String) -> TaskDataError {
    TaskDataError(.unknownLabel, path: path, location: location, field: field, message: message)
  }

  func missing(_ field: String) -> TaskDataError {
    invalid(field, "missing field")
  }

  // MARK: - Access

  /// Returns the value at a field name or dotted path.
  func value(_ field: String) -> JSONNode? {
    field.utf8.contains(UInt8(ascii: ".")) ? object.value(atPath: field) : object[field]
  }

  func hasValue(_ field: String) -> Bool {
    switch value(field) {
    case nil, .null?: false
    default: true
    }
  }

  /// Returns a required string field.
  func string(_ field: String) throws -> String {
    guard let node = value(field) else { throw missing(field) }
    guard case .string(let text) = node else {
      throw invalid(field, "expected a string, found \(node.typeDescription)")
    }
    return text
  }

  /// Returns a string field that may be absent or null.
  func optionalString(_ field: String) throws -> String? {
    guard hasValue(field) else { return nil }
    return try string(field)
  }

  /// Returns a required integer field.
  func int(_ field: String) throws -> Int {
    guard let node = value(field) else { throw missing(field) }
    guard let number = node.intValue else {
      throw invalid(field, "expected an integer, found \(node.typeDescription)")
    }
    return number
  }

  /// Returns a required array field.
  func array(_ field: String) throws -> [JSONNode] {
    guard let node = value(field) else { throw missing(field) }
    guard case .array(let elements) = node else {
      throw invalid(field, "expected an array, found \(node.typeDescription)")
    }
    return elements
  }

  /// Returns a required object field.
  func object(_ field: String) throws -> JSONObject {
    guard let node = value(field) else { throw missing(field) }
    guard case .object(let inner) = node else {
      throw invalid(field, "expected an object, found \(node.typeDescription)")
    }
    return inner
  }

  /// Returns a label written as a string or an integer (IFLYTEK writes `113`, labels.json writes
  /// `"113"`), or nil when the field is absent or null.
  func labelText(_ field: String) throws -> String? {
    guard let node = value(field) else { return nil }
    switch node {
    case .null: return nil
    case .string(let text): return text
    case .number:
      guard let number = node.intValue else { throw invalid(field, "expected a label string or an integer") }
      return String(number)
    default: throw invalid(field, "expected a label string or an integer, found \(node.typeDescription)")
    }
  }

  /// Returns the record's id from the first of `fields` that is present (a string or an integer),
  /// else `fallback`.
  func id(_ fields: [String], fallback: Int) throws -> ExampleID {
    for field in fields {
      guard let node = value(field) else { continue }
      switch node {
      case .null: continue
      case .string(let text): return ExampleID(text)
      case .number:
        guard let number = node.intValue else { throw invalid(field, "expected an integer or string id") }
        return ExampleID(number)
      default: throw invalid(field, "expected an integer or string id, found \(node.typeDescription)")
      }
    }
    return ExampleID(fallback)
  }

  /// Looks the label up in `labels` and returns its index, or nil when the field is absent and
  /// labels are optional. Throws when the label is not in the set.
  func labelIndex(_ field: String, in labels: LabelSet, required: Bool) throws -> Int? {
    guard let text = try labelText(field) else {
      if required { throw invalid(field, "missing label (pass requireLabels: false to read an unlabelled test file)") }
      return nil
    }
    guard let index = labels.index(of: text) else {
      throw unknownLabel(field, "label \"\(text)\" is not in the label set (\(labels.summary))")
    }
    return index
  }
}
