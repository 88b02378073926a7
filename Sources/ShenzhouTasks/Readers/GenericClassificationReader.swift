// MARK: - Generic formats

/// A column of a TSV file, by 0-based position or by header name.
public enum TSVColumn: Sendable, Hashable, CustomStringConvertible {
  case index(Int)
  case name(String)

  public var description: String {
    switch self {
    case .index(let index): "column \(index)"
    case .name(let name): "column \"\(name)\""
    }
  }
}

/// The column positions of a TSV classification file.
public struct TSVLayout: Sendable, Hashable {
  public var text: TSVColumn
  public var pairText: TSVColumn?
  public var label: TSVColumn?
  public var id: TSVColumn?
  /// Whether the first line names the columns. Columns given by name need a header.
  public var hasHeader: Bool

  public init(
    text: TSVColumn, pairText: TSVColumn? = nil, label: TSVColumn? = nil, id: TSVColumn? = nil, hasHeader: Bool
  ) {
    self.text = text
    self.pairText = pairText
    self.label = label
    self.id = id
    self.hasHeader = hasHeader
  }
}

/// The field names of a JSON Lines classification record. A dotted name such as `target.text`
/// reaches into nested objects.
public struct JSONLinesLayout: Sendable, Hashable {
  public var text: String
  public var pairText: String?
  public var label: String?
  public var id: String?

  public init(text: String = "text", pairText: String? = nil, label: String? = "label", id: String? = "id") {
    self.text = text
    self.pairText = pairText
    self.label = label
    self.id = id
  }
}

/// Readers for sentence and sentence-pair classification data that users bring themselves.
public enum GenericClassificationReader {
  /// Reads a tab-separated file. Fields are not quoted or escaped: every tab separates a field, and
  /// every line must have the header's field count (or the first line's, without a header). Blank
  /// lines are skipped. Records without an id column get their 0-based position.
  public static func readTSV(
    path: String, layout: TSVLayout, labels: LabelSet, requireLabels: Bool = true
  ) throws -> ClassificationDataset {
    let file = try TaskFile(path: path)
    let lines = file.lines().filter { !file.isBlank($0) }
    guard let firstLine = lines.first else {
      return ClassificationDataset(labels: labels, examples: [])
    }
    let firstFields = try file.text(of: firstLine).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    let header = layout.hasHeader ? firstFields : nil
    let fieldCount = firstFields.count

    func resolve(_ column: TSVColumn?) throws -> Int? {
      guard let column else { return nil }
      switch column {
      case .index(let index):
        guard index >= 0, index < fieldCount else {
          throw TaskDataError(
            .invalidRecord, path: path, location: .line(firstLine.number),
            message: "\(column) does not exist, the file has \(fieldCount) columns")
        }
        return index
      case .name(let name):
        guard let header else {
          throw TaskDataError(
            .invalidRecord, path: path, location: .file,
            message: "\(column) needs a header line, so set hasHeader or give the column by index")
        }
        guard let index = header.firstIndex(of: name) else {
          throw TaskDataError(
            .invalidRecord, path: path, location: .line(firstLine.number),
            message: "\(column) is not in the header (\(header.joined(separator: ", ")))")
        }
        return index
      }
    }
    let textIndex = try resolve(layout.text)
    let pairIndex = try resolve(layout.pairText)
    let labelIndex = try resolve(layout.label)
    let idIndex = try resolve(layout.id)
    if requireLabels, layout.label == nil {
      throw TaskDataError(
        .invalidRecord, path: path, location: .file,
        message: "no label column given (set the layout's label or pass requireLabels: false)")
    }

    var examples: [ClassificationExample] = []
    var ids = IDRegistry(path: path)
    for line in lines.dropFirst(layout.hasHeader ? 1 : 0) {
      let values = try file.text(of: line).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard values.count == fieldCount else {
        throw TaskDataError(
          .invalidRecord, path: path, location: .line(line.number),
          message: "expected \(fieldCount) tab-separated fields, found \(values.count)")
      }
      let id = idIndex.map { ExampleID(values[$0]) } ?? ExampleID(examples.count)
      try ids.register(id, at: .line(line.number), field: layout.id?.description)
      var label: Int?
      if let labelIndex {
        let name = values[labelIndex]
        guard let index = labels.index(of: name) else {
          throw TaskDataError(
            .unknownLabel, path: path, location: .line(line.number), field: layout.label?.description,
            message: "label \"\(name)\" is not in the label set (\(labels.summary))")
        }
        label = index
      }
      examples.append(
        ClassificationExample(
          id: id, text: textIndex.map { values[$0] } ?? "", pairText: pairIndex.map { values[$0] }, label: label))
    }
    return ClassificationDataset(labels: labels, examples: examples)
  }

  /// Reads a JSON Lines file with one record per line. Labels may be strings or integers. Records
  /// without the id field get their 0-based position.
  public static func readJSONLines(
    path: String, layout: JSONLinesLayout = JSONLinesLayout(), labels: LabelSet, requireLabels: Bool = true
  ) throws -> ClassificationDataset {
    if requireLabels, layout.label == nil {
      throw TaskDataError(
        .invalidRecord, path: path, location: .file,
        message: "no label field given (set the layout's label or pass requireLabels: false)")
    }
    return try CLUEReader.readClassificationLines(
      path: path, labels: labels, requireLabels: requireLabels, idFields: layout.id.map { [$0] } ?? [],
      labelField: layout.label
    ) { fields in
      (try fields.string(layout.text), try layout.pairText.map { try fields.string($0) })
    }
  }
}
