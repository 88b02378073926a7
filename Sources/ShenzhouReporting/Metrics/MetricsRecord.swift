import Foundation

/// One line of a metrics log as read back.
public struct MetricsRecord: Sendable, Equatable {
  public var step: Int
  /// Seconds since 1970-01-01 UTC, when the line has a numeric `wall_time`.
  public var wallTime: Double?
  /// The numeric fields other than `step` and `wall_time`. A field written as `null`
  /// (a NaN or infinite value) maps to `Double.nan`. JSON booleans read as 0 and 1, and
  /// fields of other JSON types are left out.
  public var values: [String: Double]

  public init(step: Int, wallTime: Double?, values: [String: Double]) {
    self.step = step
    self.wallTime = wallTime
    self.values = values
  }
}

extension MetricsRecord {
  /// Reads every line of the JSON Lines log at `url`. Blank lines and a last line without
  /// its newline (an interrupted write) are skipped.
  ///
  /// - Throws: ``ReportingError`` of kind `fileSystem` when the file cannot be read, and of
  ///   kind `malformedLog`, with the line number, for a line that is not a JSON object with an
  ///   integer `step`.
  public static func readLog(at url: URL) throws -> [MetricsRecord] {
    let content: Data
    do {
      content = try Data(contentsOf: url)
    } catch {
      throw ReportingError(
        .fileSystem, path: url.path,
        message: "cannot read the metrics log: \(error.localizedDescription)")
    }

    var records: [MetricsRecord] = []
    var lineNumber = 0
    for line in content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .dropLast()
    {
      lineNumber += 1
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      guard let record = parse(Data(line)) else {
        throw ReportingError(
          .malformedLog, path: url.path, line: lineNumber,
          message: "the line is not a JSON object with an integer \"step\" field; "
            + "fix or delete the line")
      }
      records.append(record)
    }
    return records
  }

  private static func parse(_ line: Data) -> MetricsRecord? {
    guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
      let step = line.withUnsafeBytes({ MetricsLogScan.step(of: $0) })
    else { return nil }

    var wallTime: Double?
    var values: [String: Double] = [:]
    for (key, value) in object where key != "step" {
      let number: Double?
      if value is NSNull {
        number = .nan
      } else if let numeric = value as? NSNumber {
        number = numeric.doubleValue
      } else {
        number = nil
      }
      guard let number else { continue }
      if key == "wall_time" {
        wallTime = number.isNaN ? nil : number
      } else {
        values[key] = number
      }
    }
    return MetricsRecord(step: step, wallTime: wallTime, values: values)
  }

  /// Returns one `(step, value)` series per name, in the order of `names`, for plotting with
  /// ``renderLossCurves(series:title:options:)``. Records without a value for a name are
  /// left out of that series.
  public static func series(_ names: [String], in records: [MetricsRecord])
    -> [(name: String, points: [(Double, Double)])]
  {
    names.map { name in
      let points = records.compactMap { record in
        record.values[name].map { (Double(record.step), $0) }
      }
      return (name: name, points: points)
    }
  }
}
