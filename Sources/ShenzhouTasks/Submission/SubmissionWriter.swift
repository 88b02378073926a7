import Foundation

/// Writes prediction files in the CLUE submission formats and bundles them into one zip.
public enum SubmissionWriter {
  /// Writes `{task}_predict.json` into `directory` (created when missing) atomically: a temporary
  /// file is renamed over the target. Predictions keep their order, which must be the test file's
  /// order for the label formats. Returns the file's path.
  ///
  /// Throws ``SubmissionError`` when the predictions are of the wrong kind for the task's format or
  /// an id repeats. It also throws for a label that is not one of the task's labels, a negative
  /// choice index, and an entity outside its text or of an unknown type.
  @discardableResult
  public static func write(task: TaskSpec, predictions: SubmissionPredictions, to directory: String) throws -> String {
    let content = try render(task: task, predictions: predictions)
    let path = URL(fileURLWithPath: directory).appendingPathComponent(task.submissionFileName).path
    try writeAtomically(Array(content.utf8), to: path)
    return path
  }

  /// Packs every `*_predict.json` file of `directory` into a zip at `zipPath` (stored entries,
  /// sorted by name, written atomically). Returns the entry names.
  @discardableResult
  public static func bundle(directory: String, zipPath: String) throws -> [String] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
        .filter { $0.hasSuffix("_predict.json") }
        .sorted()
    } catch {
      throw SubmissionError.writeFailed(path: zipPath, reason: "cannot list \(directory): \(error.localizedDescription)")
    }
    var archive = ZipArchive()
    for name in names {
      let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
        continue
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw SubmissionError.writeFailed(path: zipPath, reason: "cannot read \(path)")
      }
      let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      let modified = attributes?[.modificationDate] as? Date ?? Date()
      archive.add(name: name, data: [UInt8](data), modified: modified)
    }
    guard !archive.entries.isEmpty else { throw SubmissionError.noSubmissionFiles(directory: directory) }
    guard let bytes = archive.encoded() else { throw SubmissionError.archiveTooLarge(path: zipPath) }
    try writeAtomically(bytes, to: zipPath)
    return archive.entries.map(\.name)
  }

  // MARK: - Rendering

  static func render(task: TaskSpec, predictions: SubmissionPredictions) throws -> String {
    switch (task.submissionFormat, predictions) {
    case (.labelLines, .labels(let labels)):
      try checkUnique(labels.map(\.id))
      return try renderLines(labels) { prediction in
        guard task.labels.index(of: prediction.label) != nil else {
          throw SubmissionError.unknownLabel(
            task: task.name, id: prediction.id, label: prediction.label, known: task.labels.summary)
        }
        return (prediction.id, .string(prediction.label))
      }
    case (.answerTextObject, .answers(let answers)):
      try checkUnique(answers.map(\.id))
      return renderObject(answers.map { ($0.id, JSONNode.string($0.text)) })
    case (.choiceIndexObject, .choices(let choices)):
      try checkUnique(choices.map(\.id))
      try checkChoiceIndices(choices)
      return renderObject(choices.map { ($0.id, JSONNode.integer($0.index)) })
    case (.choiceIndexLines, .choices(let choices)):
      try checkUnique(choices.map(\.id))
      try checkChoiceIndices(choices)
      return try renderLines(choices) { ($0.id, .integer($0.index)) }
    case (.entityLines, .entities(let sentences)):
      try checkUnique(sentences.map(\.id))
      return try renderLines(sentences) { sentence in
        (sentence.id, try entityLabel(sentence, types: task.labels, task: task.name))
      }
    default:
      throw SubmissionError.wrongPredictionKind(
        task: task.name, given: predictions.kindName, expected: expectedKind(task.submissionFormat))
    }
  }

  private static func expectedKind(_ format: TaskSpec.SubmissionFormat) -> String {
    switch format {
    case .labelLines: "labels"
    case .answerTextObject: "answers"
    case .choiceIndexObject, .choiceIndexLines: "choices"
    case .entityLines: "entities"
    }
  }

  private static func renderLines<Prediction>(
    _ predictions: [Prediction], _ member: (Prediction) throws -> (ExampleID, JSONNode)
  ) throws -> String {
    var output = ""
    for prediction in predictions {
      let (id, value) = try member(prediction)
      let record = JSONObject([.init(key: "id", value: id.jsonNode), .init(key: "label", value: value)])
      output += JSONNode.object(record).serialized() + "\n"
    }
    return output
  }

  /// Writes one JSON object with a member per line, the layout of the official CMRC2018 example.
  private static func renderObject(_ members: [(ExampleID, JSONNode)]) -> String {
    guard !members.isEmpty else { return "{}\n" }
    var output = "{\n"
    for (index, (id, value)) in members.enumerated() {
      output += "  "
      JSONNode.writeString(id.text, to: &output)
      output += ": " + value.serialized()
      output += index == members.count - 1 ? "\n" : ",\n"
    }
    return output + "}\n"
  }

  /// Builds the CLUENER label object of one sentence: type → mention → [[start, end]] with `end`
  /// inclusive, types and mentions in order of first appearance.
  private static func entityLabel(_ sentence: EntityPrediction, types: LabelSet, task: String) throws -> JSONNode {
    let text = Array(sentence.text.unicodeScalars)
    var typeOrder: [String] = []
    var mentionOrder: [String: [String]] = [:]
    var positions: [String: [String: [JSONNode]]] = [:]
    for entity in sentence.entities.sorted() {
      guard types.index(of: entity.type) != nil else {
        throw SubmissionError.unknownLabel(task: task, id: sentence.id, label: entity.type, known: types.summary)
      }
      guard entity.start >= 0, entity.start < entity.end, entity.end <= text.count else {
        throw SubmissionError.invalidPrediction(
          id: sentence.id, message: "entity \(entity) is empty or outside a text of \(text.count) characters")
      }
      let mention = String(String.UnicodeScalarView(text[entity.start..<entity.end]))
      if positions[entity.type] == nil {
        typeOrder.append(entity.type)
        positions[entity.type] = [:]
      }
      if positions[entity.type]?[mention] == nil {
        mentionOrder[entity.type, default: []].append(mention)
        positions[entity.type]?[mention] = []
      }
      positions[entity.type]?[mention]?.append(.array([.integer(entity.start), .integer(entity.end - 1)]))
    }
    let members = typeOrder.map { type in
      let mentions = (mentionOrder[type] ?? []).map { mention in
        JSONObject.Member(key: mention, value: .array(positions[type]?[mention] ?? []))
      }
      return JSONObject.Member(key: type, value: .object(JSONObject(mentions)))
    }
    return .object(JSONObject(members))
  }

  private static func checkUnique(_ ids: [ExampleID]) throws {
    var seen: Set<ExampleID> = []
    for id in ids where !seen.insert(id).inserted {
      throw SubmissionError.duplicateID(id)
    }
  }

  private static func checkChoiceIndices(_ choices: [ChoicePrediction]) throws {
    for choice in choices where choice.index < 0 {
      throw SubmissionError.invalidPrediction(id: choice.id, message: "choice index \(choice.index) is negative")
    }
  }

  // MARK: - Files

  /// Writes to a temporary file beside `path`, then renames it over `path`, so that readers never
  /// see a partial file.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
      try Data(bytes).write(to: temporary)
      if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw SubmissionError.writeFailed(path: path, reason: reason)
      }
    } catch let error as SubmissionError {
      throw error
    } catch {
      throw SubmissionError.writeFailed(path: path, reason: error.localizedDescription)
    }
  }
}
