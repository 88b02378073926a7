// MARK: - CLUEWSC2020

/// The strings put around the two spans of a CLUEWSC2020 record. The defaults write the noun phrase
/// (span 1) as `_洋人_` and the pronoun (span 2) as `[他们]`.
public struct WSCSpanMarkers: Sendable, Hashable {
  public var span1Open: String
  public var span1Close: String
  public var span2Open: String
  public var span2Close: String

  public init(span1Open: String = "_", span1Close: String = "_", span2Open: String = "[", span2Close: String = "]") {
    self.span1Open = span1Open
    self.span1Close = span1Close
    self.span2Open = span2Open
    self.span2Close = span2Close
  }
}

extension CLUEReader {
  /// Reads CLUEWSC2020: `text`, `target` with `span1_text`, `span1_index`, `span2_text` and
  /// `span2_index` (Unicode-scalar offsets), and `label` ("true" when the pronoun refers to the noun
  /// phrase). The example's text is the record's text with both spans wrapped in `markers`. Each
  /// span text must be at its index, and the spans must not cross (nesting is allowed). The id is
  /// `id`, else `idx`.
  public static func readCLUEWSC2020(
    path: String, markers: WSCSpanMarkers = WSCSpanMarkers(), requireLabels: Bool = true
  ) throws -> ClassificationDataset {
    try readClassificationLines(
      path: path, labels: TaskSpec.cluewsc2020.labels, requireLabels: requireLabels, idFields: ["id", "idx"]
    ) { fields in
      let text = try fields.string("text")
      let scalars = Array(text.unicodeScalars)
      let span1 = try wscSpan(fields, number: 1, in: scalars)
      let span2 = try wscSpan(fields, number: 2, in: scalars)
      let crosses =
        span1.overlaps(span2) && !(span1.contains(span2.lowerBound) && span1.contains(span2.upperBound - 1))
        && !(span2.contains(span1.lowerBound) && span2.contains(span1.upperBound - 1))
      if crosses {
        throw fields.invalid("target", "span 1 \(span1) and span 2 \(span2) cross, so they cannot both be marked")
      }
      return (markSpans(scalars, span1: span1, span2: span2, markers: markers), nil)
    }
  }

  private static func wscSpan(_ fields: RecordFields, number: Int, in scalars: [Unicode.Scalar]) throws -> Range<Int> {
    let textField = "target.span\(number)_text"
    let indexField = "target.span\(number)_index"
    let spanText = Array(try fields.string(textField).unicodeScalars)
    let start = try fields.int(indexField)
    guard !spanText.isEmpty else { throw fields.invalid(textField, "the span text is empty") }
    let end = start + spanText.count
    guard start >= 0, end <= scalars.count else {
      throw fields.invalid(
        indexField, "span \(start)..<\(end) is outside the text, which has \(scalars.count) characters")
    }
    guard Array(scalars[start..<end]) == spanText else {
      let found = String(String.UnicodeScalarView(scalars[start..<end]))
      throw fields.invalid(
        indexField, "the text at \(start) is \"\(found)\", not the span text \"\(String(String.UnicodeScalarView(spanText)))\"")
    }
    return start..<end
  }

  /// Inserts the markers. At the same position, closing markers go before opening ones, and the
  /// outer span's markers go outside the inner span's.
  private static func markSpans(
    _ scalars: [Unicode.Scalar], span1: Range<Int>, span2: Range<Int>, markers: WSCSpanMarkers
  ) -> String {
    struct Insertion {
      var position: Int
      var isClosing: Bool
      var spanLength: Int
      var text: String
    }
    var insertions = [
      Insertion(position: span1.lowerBound, isClosing: false, spanLength: span1.count, text: markers.span1Open),
      Insertion(position: span1.upperBound, isClosing: true, spanLength: span1.count, text: markers.span1Close),
      Insertion(position: span2.lowerBound, isClosing: false, spanLength: span2.count, text: markers.span2Open),
      Insertion(position: span2.upperBound, isClosing: true, spanLength: span2.count, text: markers.span2Close),
    ]
    insertions.sort { left, right in
      if left.position != right.position { return left.position < right.position }
      if left.isClosing != right.isClosing { return left.isClosing }
      // Two openings: the longer span opens first. Two closings: the shorter span closes first.
      return left.isClosing ? left.spanLength < right.spanLength : left.spanLength > right.spanLength
    }
    var output = String.UnicodeScalarView()
    var next = 0
    for insertion in insertions {
      output.append(contentsOf: scalars[next..<insertion.position])
      output.append(contentsOf: insertion.text.unicodeScalars)
      next = insertion.position
    }
    output.append(contentsOf: scalars[next...])
    return String(output)
  }
}

// MARK: - CSL

extension CLUEReader {
  /// Reads CSL: `abst` (a paper abstract), `keyword` (a list of keywords) and `label` ("1" when
  /// every keyword is a real keyword of the paper). The example's text is the keywords joined with
  /// `keywordSeparator`, and its pair text is the abstract.
  public static func readCSL(
    path: String, keywordSeparator: String = " ", requireLabels: Bool = true
  ) throws -> ClassificationDataset {
    try readClassificationLines(path: path, labels: TaskSpec.csl.labels, requireLabels: requireLabels) { fields in
      let abstract = try fields.string("abst")
      var keywords: [String] = []
      for (index, element) in try fields.array("keyword").enumerated() {
        guard case .string(let keyword) = element else {
          throw fields.invalid("keyword[\(index)]", "expected a string, found \(element.typeDescription)")
        }
        keywords.append(keyword)
      }
      return (keywords.joined(separator: keywordSeparator), abstract)
    }
  }
}
