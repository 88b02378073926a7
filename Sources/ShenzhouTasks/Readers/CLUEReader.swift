/// Readers for the CLUE 1.0 tasks and CLUENER2020 in their published file formats.
///
/// Every reader throws ``TaskDataError`` naming the file, the line (or the JSON path for formats
/// that are one document) and the field of the first malformed record. A label outside the task's
/// label set is an error that names the label. Empty texts are accepted. Records without an id
/// field get their 0-based position in the file (the question's position for C3), which is the
/// numbering the official test files use. Pass `requireLabels: false` to read unlabelled test
/// files.
public enum CLUEReader {}

// MARK: - Shared JSON Lines loop

extension CLUEReader {
  /// Reads a JSON Lines classification file. `makeTexts` returns the text and the pair text of a
  /// record. Records whose label is in `skippedLabels` are left out and reported. Without a
  /// `labelField`, no labels are read.
  static func readClassificationLines(
    path: String,
    labels: LabelSet,
    requireLabels: Bool,
    idFields: [String] = ["id"],
    labelField: String? = "label",
    skippedLabels: [String: String] = [:],
    makeTexts: (RecordFields) throws -> (text: String, pairText: String?)
  ) throws -> ClassificationDataset {
    let file = try TaskFile(path: path)
    var examples: [ClassificationExample] = []
    var skipped: [SkippedRecord] = []
    var ids = IDRegistry(path: path)
    var position = 0
    try file.forEachJSONLine { line, object in
      let fields = RecordFields(path: path, location: .line(line), object: object)
      let id = try fields.id(idFields, fallback: position)
      position += 1
      try ids.register(id, at: .line(line), field: idFields.first)
      var label: Int?
      if let labelField {
        if let text = try fields.labelText(labelField), let reason = skippedLabels[text] {
          skipped.append(SkippedRecord(location: .line(line), id: id, reason: reason))
          return
        }
        label = try fields.labelIndex(labelField, in: labels, required: requireLabels)
      }
      let texts = try makeTexts(fields)
      examples.append(ClassificationExample(id: id, text: texts.text, pairText: texts.pairText, label: label))
    }
    return ClassificationDataset(labels: labels, examples: examples, skippedRecords: skipped)
  }
}

/// Rejects a second record with an id seen before in the same file.
struct IDRegistry {
  let path: String
  private var firstLocation: [ExampleID: RecordLocation] = [:]

  init(path: String) {
    self.path = path
  }

  mutating func register(_ id: ExampleID, at location: RecordLocation, field: String?) throws {
    if let first = firstLocation[id] {
      throw TaskDataError(
        .duplicateID, path: path, location: location, field: field,
        message: "id \(id) was already used at \(first)")
    }
    firstLocation[id] = location
  }
}
