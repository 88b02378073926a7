/// The text of one line of a metrics log:
///
///     {"step":120,"wall_time":1718000000.25,"loss":2.5,"lr":0.0001}
///
/// `step` and `wall_time` come first, then the metrics in the caller's order. A NaN or
/// infinite metric is written as `null`.
enum MetricsLine {
  static let reservedNames: Set<String> = ["step", "wall_time"]

  /// Returns the UTF-8 of the line, newline included, and how many metrics were written as
  /// `null`.
  ///
  /// - Throws: ``ReportingError`` of kind `invalidArgument` for an empty, repeated or reserved
  ///   metric name, or a wall time that is not finite.
  static func encode(
    step: Int, wallTime: Double, metrics: [(name: String, value: Double)], path: String
  ) throws -> (bytes: [UInt8], nullCount: Int) {
    try validate(metrics: metrics, step: step, wallTime: wallTime, path: path)

    var bytes: [UInt8] = []
    bytes.reserveCapacity(40 + metrics.count * 24)
    bytes.append(contentsOf: "{\"step\":".utf8)
    JSONText.appendInteger(step, to: &bytes)
    bytes.append(contentsOf: ",\"wall_time\":".utf8)
    JSONText.appendNumber(wallTime, to: &bytes)

    var nullCount = 0
    for (name, value) in metrics {
      bytes.append(UInt8(ascii: ","))
      JSONText.appendString(name, to: &bytes)
      bytes.append(UInt8(ascii: ":"))
      if !JSONText.appendNumber(value, to: &bytes) { nullCount += 1 }
    }
    bytes.append(contentsOf: "}\n".utf8)
    return (bytes, nullCount)
  }

  private static func validate(
    metrics: [(name: String, value: Double)], step: Int, wallTime: Double, path: String
  ) throws {
    guard wallTime.isFinite else {
      throw ReportingError(
        .invalidArgument, path: path,
        message: "wall time \(wallTime) of step \(step) is not finite; pass seconds since 1970")
    }
    var seen = Set<String>()
    for (name, _) in metrics {
      let problem: String?
      if name.isEmpty {
        problem = "is empty"
      } else if reservedNames.contains(name) {
        problem = "is reserved for the step and time columns"
      } else if !seen.insert(name).inserted {
        problem = "appears more than once"
      } else {
        problem = nil
      }
      if let problem {
        throw ReportingError(
          .invalidArgument, path: path,
          message: "metric name \"\(name)\" of step \(step) \(problem); give each metric its own name")
      }
    }
  }
}
