extension LabelSet {
  /// Reads a CLUE `labels.json`: one JSON object per line with `label` (a string or an integer) and
  /// an optional description in `label_desc` (TNEWS) or `label_des` (IFLYTEK). Labels keep file
  /// order. Throws ``TaskDataError`` naming the line of a malformed or repeated label.
  public static func load(path: String) throws -> LabelSet {
    let file = try TaskFile(path: path)
    var names: [String] = []
    var descriptions: [String?] = []
    var seen: Set<String> = []
    try file.forEachJSONLine { line, object in
      let fields = RecordFields(path: path, location: .line(line), object: object)
      guard let name = try fields.labelText("label") else { throw fields.missing("label") }
      guard seen.insert(name).inserted else {
        throw TaskDataError(
          .duplicateID, path: path, location: .line(line), field: "label", message: "label \"\(name)\" appears twice")
      }
      names.append(name)
      descriptions.append(try fields.optionalString("label_desc") ?? fields.optionalString("label_des"))
    }
    guard !names.isEmpty else {
      throw TaskDataError(.invalidRecord, path: path, location: .file, message: "the label file has no labels")
    }
    return LabelSet(builtIn: names, descriptions: descriptions)
  }

  /// Collects the sorted distinct labels of a field in a JSON Lines file, for a generic task whose label
  /// list is not written down anywhere.
  public static func collect(jsonLinesPath path: String, field: String = "label") throws -> LabelSet {
    let file = try TaskFile(path: path)
    var seen: Set<String> = []
    try file.forEachJSONLine { line, object in
      let fields = RecordFields(path: path, location: .line(line), object: object)
      if let label = try fields.labelText(field) { seen.insert(label) }
    }
    return LabelSet(builtIn: seen.sorted())
  }
}
