import Foundation

/// The part of an existing metrics log that a writer keeps when it reopens the file.
struct MetricsLogScan: Equatable {
  /// The number of leading bytes to keep; the file is truncated to this length.
  var keptLength: Int
  /// Complete lines after the resume step that are removed.
  var removedLineCount: Int
  /// Whether the file ended in a line without its newline, which a crash during a write
  /// leaves behind and which is always removed.
  var removedIncompleteLine: Bool

  /// Finds what to keep of `content`, the bytes of the log at `path`.
  ///
  /// Without `resumeStep` it keeps every complete line. With it, it keeps the lines before
  /// the first line whose step is greater than `resumeStep` and removes that line and all
  /// after it, so that a run resumed from the checkpoint of `resumeStep` writes each later
  /// step once. Blank lines are kept and do not count.
  ///
  /// - Throws: ``ReportingError`` of kind `malformedLog` when a line that must be read to
  ///   find the cut has no integer `step` field.
  static func scan(_ content: UnsafeRawBufferPointer, resumeStep: Int?, path: String) throws
    -> MetricsLogScan
  {
    let newline = UInt8(ascii: "\n")
    var completeLength = content.count
    while completeLength > 0 && content[completeLength - 1] != newline { completeLength -= 1 }
    let removedIncompleteLine = completeLength < content.count

    guard let resumeStep else {
      return MetricsLogScan(
        keptLength: completeLength, removedLineCount: 0,
        removedIncompleteLine: removedIncompleteLine)
    }

    var lineStart = 0
    var lineNumber = 1
    while lineStart < completeLength {
      var lineEnd = lineStart
      while content[lineEnd] != newline { lineEnd += 1 }
      let line = UnsafeRawBufferPointer(rebasing: content[lineStart..<lineEnd])

      if !isBlank(line) {
        guard let step = step(of: line) else {
          throw ReportingError(
            .malformedLog, path: path, line: lineNumber,
            message: "the line is not a JSON object with an integer \"step\" field; "
              + "fix or delete the line, or write the run to a new log file")
        }
        if step > resumeStep {
          var removed = 0
          for index in lineStart..<completeLength where content[index] == newline { removed += 1 }
          return MetricsLogScan(
            keptLength: lineStart, removedLineCount: removed,
            removedIncompleteLine: removedIncompleteLine)
        }
      }
      lineStart = lineEnd + 1
      lineNumber += 1
    }
    return MetricsLogScan(
      keptLength: completeLength, removedLineCount: 0, removedIncompleteLine: removedIncompleteLine)
  }

  // MARK: - Reading the step of a line

  /// Returns the integer `step` field of a JSON object line, or nil when the line is not
  /// such an object. Lines in the writer's own layout, which begin with `{"step":`, are read
  /// directly, without checking the rest of the line. Any other line is parsed with `JSONSerialization`.
  static func step(of line: UnsafeRawBufferPointer) -> Int? {
    if let step = leadingStep(of: line) { return step }

    let data = Data(line)
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let value = object["step"]
    else { return nil }
    if let integer = value as? Int { return integer }
    if let number = value as? Double, number.rounded() == number, abs(number) < 9e15 {
      return Int(number)
    }
    return nil
  }

  private static func leadingStep(of line: UnsafeRawBufferPointer) -> Int? {
    let prefix = Array("{\"step\":".utf8)
    guard line.count > prefix.count, line.prefix(prefix.count).elementsEqual(prefix) else {
      return nil
    }
    var index = prefix.count
    let negative = line[index] == UInt8(ascii: "-")
    if negative { index += 1 }

    var magnitude = 0
    var digitCount = 0
    while index < line.count, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
      let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = shifted.addingReportingOverflow(Int(line[index] - UInt8(ascii: "0")))
      if overflow1 || overflow2 { return nil }
      magnitude = sum
      digitCount += 1
      index += 1
    }
    guard digitCount > 0, index < line.count,
      line[index] == UInt8(ascii: ",") || line[index] == UInt8(ascii: "}")
    else { return nil }
    return negative ? -magnitude : magnitude
  }

  private static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }
}
