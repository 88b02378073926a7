// MARK: - ChID

/// The strings that replace idiom blanks in a ChID passage. By default the blank being asked about
/// becomes `[MASK]` and every other blank of the passage `[UNK]`, both single BERT tokens.
public struct ChIDBlankMarkers: Sendable, Hashable {
  public var current: String
  public var other: String

  public init(current: String = "[MASK]", other: String = "[UNK]") {
    self.current = current
    self.other = other
  }
}

extension CLUEReader {
  /// Reads ChID in the FewCLUE layout: `content` with one or more idiom blanks, `candidates` (the
  /// idioms to choose from), `answer` and `id`, one JSON object per line. A blank is written
  /// `#idiom#`, or `#idiom` plus digits plus `#` as in the original ChID release. A passage with
  /// several blanks gives one example per blank, in order, with that blank marked as current.
  /// `answer` is an index into `candidates` for a one-blank passage, or an array with one index per
  /// blank. Example ids: a numbered blank's tag (such as `#idiom000123#`), else the record id for a
  /// one-blank passage, else the record id, "-" and the blank's 0-based index.
  public static func readChID(
    path: String, markers: ChIDBlankMarkers = ChIDBlankMarkers(), requireLabels: Bool = true
  ) throws -> MultipleChoiceDataset {
    let file = try TaskFile(path: path)
    var examples: [MultipleChoiceExample] = []
    var ids = IDRegistry(path: path)
    var position = 0
    try file.forEachJSONLine { line, object in
      let fields = RecordFields(path: path, location: .line(line), object: object)
      let recordID = try fields.id(["id"], fallback: position)
      position += 1
      let content = Array(try fields.string("content").unicodeScalars)
      let blanks = idiomBlanks(in: content)
      guard !blanks.isEmpty else { throw fields.invalid("content", "the content has no #idiom# blank") }
      let candidates = try stringArray(fields, "candidates")
      guard !candidates.isEmpty else { throw fields.invalid("candidates", "the candidate list is empty") }
      let answers = try chidAnswers(fields, blankCount: blanks.count, candidateCount: candidates.count, required: requireLabels)

      for (blankIndex, blank) in blanks.enumerated() {
        let id: ExampleID
        if let tag = blank.numberedTag {
          id = ExampleID(tag)
        } else if blanks.count == 1 {
          id = recordID
        } else {
          id = ExampleID("\(recordID.text)-\(blankIndex)")
        }
        try ids.register(id, at: .line(line), field: "content")
        let (passage, blankRange) = fillBlanks(content, blanks: blanks, current: blankIndex, markers: markers)
        examples.append(
          MultipleChoiceExample(
            id: id, context: passage, question: "", choices: candidates, answer: answers?[blankIndex],
            blankRange: blankRange))
      }
    }
    return MultipleChoiceDataset(examples: examples)
  }

  struct IdiomBlank {
    var range: Range<Int>
    /// The whole tag when it has digits, such as `#idiom000123#`.
    var numberedTag: String?
  }

  /// Finds `#idiom#` and `#idiom<digits>#` in a passage.
  static func idiomBlanks(in scalars: [Unicode.Scalar]) -> [IdiomBlank] {
    let prefix = Array("#idiom".unicodeScalars)
    var blanks: [IdiomBlank] = []
    var index = 0
    while index + prefix.count < scalars.count {
      guard scalars[index] == "#", Array(scalars[index..<(index + prefix.count)]) == prefix else {
        index += 1
        continue
      }
      var cursor = index + prefix.count
      while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) { cursor += 1 }
      guard cursor < scalars.count, scalars[cursor] == "#" else {
        index += 1
        continue
      }
      let range = index..<(cursor + 1)
      let hasDigits = cursor > index + prefix.count
      let tag = hasDigits ? String(String.UnicodeScalarView(scalars[range])) : nil
      blanks.append(IdiomBlank(range: range, numberedTag: tag))
      index = cursor + 1
    }
    return blanks
  }

  private static func fillBlanks(
    _ content: [Unicode.Scalar], blanks: [IdiomBlank], current: Int, markers: ChIDBlankMarkers
  ) -> (String, Range<Int>) {
    var output = String.UnicodeScalarView()
    var outputCount = 0
    var next = 0
    var currentRange = 0..<0
    for (index, blank) in blanks.enumerated() {
      output.append(contentsOf: content[next..<blank.range.lowerBound])
      outputCount += blank.range.lowerBound - next
      let marker = index == current ? markers.current : markers.other
      let markerCount = marker.unicodeScalars.count
      if index == current { currentRange = outputCount..<(outputCount + markerCount) }
      output.append(contentsOf: marker.unicodeScalars)
      outputCount += markerCount
      next = blank.range.upperBound
    }
    output.append(contentsOf: content[next...])
    return (String(output), currentRange)
  }

  private static func chidAnswers(
    _ fields: RecordFields, blankCount: Int, candidateCount: Int, required: Bool
  ) throws -> [Int]? {
    guard let node = fields.value("answer"), node != .null else {
      if required { throw fields.invalid("answer", "missing answer (pass requireLabels: false to read a test file)") }
      return nil
    }
    var answers: [Int]
    if case .array(let elements) = node {
      answers = []
      for (index, element) in elements.enumerated() {
        guard let value = element.intValue else {
          throw fields.invalid("answer[\(index)]", "expected an integer, found \(element.typeDescription)")
        }
        answers.append(value)
      }
    } else if let value = node.intValue {
      answers = [value]
    } else {
      throw fields.invalid("answer", "expected an integer or an array of integers, found \(node.typeDescription)")
    }
    guard answers.count == blankCount else {
      throw fields.invalid(
        "answer", "the content has \(blankCount) blanks but the answer gives \(answers.count) indices")
    }
    for value in answers where !(0..<candidateCount).contains(value) {
      throw fields.unknownLabel(
        "answer", "answer index \(value) is outside the \(candidateCount) candidates (0 to \(candidateCount - 1))")
    }
    return answers
  }

  static func stringArray(_ fields: RecordFields, _ field: String) throws -> [String] {
    var strings: [String] = []
    for (index, element) in try fields.array(field).enumerated() {
      guard case .string(let text) = element else {
        throw fields.invalid("\(field)[\(index)]", "expected a string, found \(element.typeDescription)")
      }
      strings.append(text)
    }
    return strings
  }
}
