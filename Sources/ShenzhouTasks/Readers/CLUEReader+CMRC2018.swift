// MARK: - CMRC2018

extension CLUEReader {
  /// Reads CMRC2018 in the SQuAD v1 layout, one JSON document:
  /// `{"data": [{"paragraphs": [{"context", "qas": [{"id", "question", "answers": [{"text",
  /// "answer_start"}]}]}]}]}`. `answer_start` counts Unicode scalars. An answer whose start does
  /// not point at its text is moved to the nearest occurrence in the context or, when there is
  /// none, kept without a position, and both cases are counted. `answers` may be absent or empty
  /// in a test file.
  public static func readCMRC2018(path: String) throws -> SpanExtractionDataset {
    let file = try TaskFile(path: path)
    let root = try file.parseDocument()
    let rootFields = try documentFields(root, path: path, jsonPath: "")
    var examples: [SpanExtractionExample] = []
    var relocated = 0
    var unlocated = 0
    var ids = IDRegistry(path: path)

    for (articleIndex, article) in try rootFields.array("data").enumerated() {
      let articlePath = "data[\(articleIndex)]"
      let articleFields = try documentFields(article, path: path, jsonPath: articlePath)
      for (paragraphIndex, paragraph) in try articleFields.array("paragraphs").enumerated() {
        let paragraphPath = "\(articlePath).paragraphs[\(paragraphIndex)]"
        let paragraphFields = try documentFields(paragraph, path: path, jsonPath: paragraphPath)
        let context = try paragraphFields.string("context")
        let contextScalars = Array(context.unicodeScalars)
        for (questionIndex, question) in try paragraphFields.array("qas").enumerated() {
          let questionPath = "\(paragraphPath).qas[\(questionIndex)]"
          let fields = try documentFields(question, path: path, jsonPath: questionPath)
          let id = try fields.id(["id"], fallback: examples.count)
          try ids.register(id, at: .jsonPath(questionPath), field: "id")
          var answers: [AnswerSpan] = []
          let answerNodes = fields.hasValue("answers") ? try fields.array("answers") : []
          for (answerIndex, answer) in answerNodes.enumerated() {
            let answerFields = try documentFields(answer, path: path, jsonPath: "\(questionPath).answers[\(answerIndex)]")
            let text = try answerFields.string("text")
            let declaredStart = try answerFields.int("answer_start")
            let start = locate(Array(text.unicodeScalars), in: contextScalars, near: declaredStart)
            if start == nil {
              unlocated += 1
            } else if start != declaredStart {
              relocated += 1
            }
            answers.append(AnswerSpan(text: text, declaredStart: declaredStart, start: start))
          }
          examples.append(
            SpanExtractionExample(id: id, context: context, question: try fields.string("question"), answers: answers))
        }
      }
    }
    return SpanExtractionDataset(examples: examples, relocatedAnswerCount: relocated, unlocatedAnswerCount: unlocated)
  }

  /// Finds `needle` in `haystack` and returns its start: `near` when it is there, else the
  /// occurrence closest to it, nil when there is none or the needle is empty.
  static func locate(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], near: Int) -> Int? {
    guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
    func matches(at start: Int) -> Bool {
      guard start >= 0, start + needle.count <= haystack.count else { return false }
      for offset in 0..<needle.count where haystack[start + offset] != needle[offset] {
        return false
      }
      return true
    }
    if matches(at: near) { return near }
    var best: Int?
    for start in 0...(haystack.count - needle.count) where matches(at: start) {
      if let current = best, abs(current - near) <= abs(start - near) { continue }
      best = start
    }
    return best
  }

  /// Returns the fields of an object inside a JSON document, or throws an error naming its JSON
  /// path when the node is not an object.
  static func documentFields(_ node: JSONNode, path: String, jsonPath: String) throws -> RecordFields {
    guard case .object(let object) = node else {
      throw TaskDataError(
        .invalidRecord, path: path, location: .jsonPath(jsonPath),
        message: "expected an object, found \(node.typeDescription)")
    }
    return RecordFields(path: path, location: .jsonPath(jsonPath), object: object)
  }
}
