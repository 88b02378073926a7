// MARK: - C3

extension CLUEReader {
  /// Reads C3, one JSON array of documents. Each document is
  /// `[[dialogue or passage lines], [{"question", "choice": [2 to 4 options], "answer", "id"?}],
  /// "document id"]`. `answer` is the text of the right choice (the first equal choice when the
  /// options repeat), and may be absent in a test file. The example's context is the lines joined
  /// with "\n". A question without `id` gets its 0-based position among all questions of the file.
  public static func readC3(path: String, requireLabels: Bool = true) throws -> MultipleChoiceDataset {
    let file = try TaskFile(path: path)
    guard case .array(let documents) = try file.parseDocument() else {
      throw TaskDataError(
        .invalidRecord, path: path, location: .jsonPath(""), message: "expected a JSON array of documents")
    }
    var examples: [MultipleChoiceExample] = []
    var ids = IDRegistry(path: path)
    for (documentIndex, document) in documents.enumerated() {
      let documentPath = "[\(documentIndex)]"
      guard case .array(let parts) = document else {
        throw TaskDataError(
          .invalidRecord, path: path, location: .jsonPath(documentPath),
          message: "expected [lines, questions, id], found \(document.typeDescription)")
      }
      guard parts.count >= 2 else {
        throw TaskDataError(
          .invalidRecord, path: path, location: .jsonPath(documentPath),
          message: "expected [lines, questions, id], found an array of \(parts.count) elements")
      }
      let lines = try c3Strings(parts[0], path: path, jsonPath: "\(documentPath)[0]")
      guard case .array(let questions) = parts[1] else {
        throw TaskDataError(
          .invalidRecord, path: path, location: .jsonPath("\(documentPath)[1]"),
          message: "expected an array of questions, found \(parts[1].typeDescription)")
      }
      let context = lines.joined(separator: "\n")
      for (questionIndex, question) in questions.enumerated() {
        let questionPath = "\(documentPath)[1][\(questionIndex)]"
        let fields = try documentFields(question, path: path, jsonPath: questionPath)
        let id = try fields.id(["id"], fallback: examples.count)
        try ids.register(id, at: .jsonPath(questionPath), field: "id")
        let choices = try stringArray(fields, "choice")
        guard (2...4).contains(choices.count) else {
          throw fields.invalid("choice", "expected 2 to 4 choices, found \(choices.count)")
        }
        var answer: Int?
        if let answerText = try fields.optionalString("answer") {
          guard let index = choices.firstIndex(of: answerText) else {
            throw fields.unknownLabel("answer", "answer \"\(answerText)\" is not one of the choices")
          }
          answer = index
        } else if requireLabels {
          throw fields.invalid("answer", "missing answer (pass requireLabels: false to read a test file)")
        }
        examples.append(
          MultipleChoiceExample(
            id: id, context: context, question: try fields.string("question"), choices: choices, answer: answer))
      }
    }
    return MultipleChoiceDataset(examples: examples)
  }

  private static func c3Strings(_ node: JSONNode, path: String, jsonPath: String) throws -> [String] {
    guard case .array(let elements) = node else {
      throw TaskDataError(
        .invalidRecord, path: path, location: .jsonPath(jsonPath),
        message: "expected an array of lines, found \(node.typeDescription)")
    }
    var strings: [String] = []
    for (index, element) in elements.enumerated() {
      guard case .string(let text) = element else {
        throw TaskDataError(
          .invalidRecord, path: path, location: .jsonPath("\(jsonPath)[\(index)]"),
          message: "expected a string, found \(element.typeDescription)")
      }
      strings.append(text)
    }
    return strings
  }
}
