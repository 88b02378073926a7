/// Exact match and F1 for Chinese extractive reading comprehension, following the official CMRC 2018
/// evaluation script (version 5, ymcui/cmrc2018 `cmrc2018_evaluate.py`).
///
/// Both texts are lowercased and stripped of surrounding whitespace. Exact match then removes the
/// characters in ``punctuation`` and compares the rest. F1 splits both texts into segments (see
/// ``segments(_:removingPunctuation:)``), takes the longest common contiguous run of segments, and
/// computes F1 from its length over the prediction's and the answer's segment counts. Each
/// question scores the best value over its gold answers.
public enum CMRC2018Metric {
  /// The punctuation that the official script removes: these ASCII and full-width characters
  /// exactly. Its list also has the two-character "……", which never matches a single character, so
  /// "…" stays, as do ASCII "," "." "(" ")" and quotes.
  public static let punctuation: Set<Unicode.Scalar> = [
    "-", ":", "_", "*", "^", "/", "\\", "~", "`", "+", "=",
    "，", "。", "：", "？", "！", "“", "”", "；", "’", "《", "》", "·", "、",
    "「", "」", "（", "）", "－", "～", "『", "』",
  ]

  // MARK: - Scores

  /// Returns whether the prediction equals one of the gold texts after normalization and
  /// punctuation removal.
  public static func exactMatch(prediction: String, answers: [String]) -> Bool {
    let predicted = withoutPunctuation(normalized(prediction))
    return answers.contains { withoutPunctuation(normalized($0)) == predicted }
  }

  /// Returns the best F1 between the prediction and any gold text, from 0 to 1. A prediction or gold
  /// text that is only punctuation scores 0.
  public static func f1(prediction: String, answers: [String]) -> Double {
    let predictedSegments = segments(prediction, removingPunctuation: true)
    var best = 0.0
    for answer in answers {
      let answerSegments = segments(answer, removingPunctuation: true)
      let common = longestCommonRun(answerSegments, predictedSegments)
      guard common > 0 else { continue }
      let precision = Double(common) / Double(predictedSegments.count)
      let recall = Double(common) / Double(answerSegments.count)
      best = max(best, 2 * precision * recall / (precision + recall))
    }
    return best
  }

  // MARK: - Segmentation

  /// Splits a text the way the official script does before F1. After normalization, every CJK
  /// character in U+4E00...U+9FA5 and every ``punctuation`` character is a segment of its own
  /// (punctuation is dropped instead when `removingPunctuation`). The text between them is split
  /// into words. Whitespace separates words. Each other punctuation character (Unicode category P,
  /// or an ASCII symbol such as "$" or "&") is a word of its own, except "." or "," between two
  /// digits. Everything else stays together, so runs of Latin letters and digits are one segment.
  ///
  /// NOTE: The official script splits that text with NLTK's `word_tokenize`. The rule here agrees
  /// with it on letters, digits, spaces, brackets and decimal numbers, but not on English
  /// contractions, quote marks (NLTK rewrites them) or a period inside a word such as "U.S.".
  public static func segments(_ text: String, removingPunctuation: Bool) -> [String] {
    var output: [String] = []
    var pending: [Unicode.Scalar] = []
    for scalar in normalized(text) {
      let isPunctuation = punctuation.contains(scalar)
      if isPunctuation && removingPunctuation { continue }
      if isPunctuation || (0x4E00...0x9FA5).contains(scalar.value) {
        appendWords(of: pending, to: &output)
        pending.removeAll(keepingCapacity: true)
        output.append(String(Character(scalar)))
      } else {
        pending.append(scalar)
      }
    }
    appendWords(of: pending, to: &output)
    return output
  }

  /// Lowercases with the full Unicode mapping and strips leading and trailing whitespace (Python's
  /// `str.lower().strip()`).
  static func normalized(_ text: String) -> [Unicode.Scalar] {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        scalars.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value + 32)) : scalar)
      } else {
        scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
      }
    }
    var start = 0
    var end = scalars.count
    while start < end, isPythonWhitespace(scalars[start]) { start += 1 }
    while end > start, isPythonWhitespace(scalars[end - 1]) { end -= 1 }
    return Array(scalars[start..<end])
  }

  private static func withoutPunctuation(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    scalars.filter { !punctuation.contains($0) }
  }

  /// Splits non-CJK text into words, standing in for NLTK's `word_tokenize`.
  private static func appendWords(of scalars: [Unicode.Scalar], to output: inout [String]) {
    var word = String.UnicodeScalarView()
    func flush() {
      if !word.isEmpty {
        output.append(String(word))
        word = String.UnicodeScalarView()
      }
    }
    for (index, scalar) in scalars.enumerated() {
      if isPythonWhitespace(scalar) {
        flush()
      } else if isSplitPunctuation(scalar) && !isNumberSeparator(at: index, in: scalars) {
        flush()
        output.append(String(Character(scalar)))
      } else {
        word.append(scalar)
      }
    }
    flush()
  }

  private static func isSplitPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
      return scalar.isASCII
    default:
      return false
    }
  }

  /// Returns whether the scalar is "." or "," with a decimal digit on both sides, as in "3.5" or "1,000".
  private static func isNumberSeparator(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
    guard scalars[index] == "." || scalars[index] == ",", index > 0, index + 1 < scalars.count else { return false }
    return isDecimalDigit(scalars[index - 1]) && isDecimalDigit(scalars[index + 1])
  }

  private static func isDecimalDigit(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.numericType == .decimal
  }

  /// Python's `str.isspace()`: Unicode White_Space plus the separators U+001C to U+001F.
  private static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
  }

  /// Returns the length of the longest contiguous run of segments that both lists contain.
  static func longestCommonRun(_ first: [String], _ second: [String]) -> Int {
    guard !first.isEmpty, !second.isEmpty else { return 0 }
    var codes: [String: Int] = [:]
    var firstCodes: [Int] = []
    firstCodes.reserveCapacity(first.count)
    for segment in first {
      if let code = codes[segment] {
        firstCodes.append(code)
      } else {
        codes[segment] = codes.count
        firstCodes.append(codes.count - 1)
      }
    }
    let secondCodes = second.map { codes[$0] ?? -1 }
    var previous = [Int](repeating: 0, count: secondCodes.count + 1)
    var current = previous
    var longest = 0
    for firstCode in firstCodes {
      for (column, secondCode) in secondCodes.enumerated() {
        if firstCode == secondCode {
          current[column + 1] = previous[column] + 1
          longest = max(longest, current[column + 1])
        } else {
          current[column + 1] = 0
        }
      }
      swap(&previous, &current)
    }
    return longest
  }
}

/// Running CMRC 2018 scores over questions.
public struct CMRC2018Score: Sendable, Hashable {
  public private(set) var questions = 0
  public private(set) var exactMatchSum = 0.0
  public private(set) var f1Sum = 0.0

  public init() {}

  public mutating func add(prediction: String, answers: [String]) {
    questions += 1
    if CMRC2018Metric.exactMatch(prediction: prediction, answers: answers) { exactMatchSum += 1 }
    f1Sum += CMRC2018Metric.f1(prediction: prediction, answers: answers)
  }

  /// Exact match in percent.
  public var exactMatch: Double { questions == 0 ? 0 : 100 * exactMatchSum / Double(questions) }
  /// F1 in percent.
  public var f1: Double { questions == 0 ? 0 : 100 * f1Sum / Double(questions) }
  /// The mean of exact match and F1, which the official script reports as AVERAGE.
  public var average: Double { (exactMatch + f1) / 2 }
}
