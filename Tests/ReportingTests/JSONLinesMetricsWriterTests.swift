import Foundation
import ShenzhouTestSupport
import Testing

@testable import ShenzhouReporting

/// Parses every line with Python's `json` module, rejecting the NaN and Infinity literals
/// that it would otherwise accept, and prints the objects as one JSON array.
private let strictJSONScript = """
  import json, sys
  def reject(token):
      raise ValueError("non-standard JSON literal " + token)
  rows = [json.loads(line, parse_constant=reject) for line in open(sys.argv[1], encoding="utf-8")]
  print(json.dumps(rows, ensure_ascii=False))
  """

@Suite struct JSONLinesMetricsWriterTests {
  @Test func lineLayout() throws {
    let line = try MetricsLine.encode(
      step: 12, wallTime: 1_700_000_000.5, metrics: [("loss", 2.5), ("lr", 1e-05), ("tokens", 4096)],
      path: "m.jsonl")
    #expect(String(decoding: line.bytes, as: UTF8.self) == "{\"step\":12,\"wall_time\":1700000000.5,\"loss\":2.5,\"lr\":1e-05,\"tokens\":4096.0}\n")
    #expect(line.nullCount == 0)
  }

  @Test func escapingOfNames() throws {
    let name = "a\"b\\c\nd\te\u{01}f 損失 \u{2028}"
    let line = try MetricsLine.encode(step: 1, wallTime: 1, metrics: [(name, 1)], path: "m.jsonl")
    let text = String(decoding: line.bytes, as: UTF8.self)
    #expect(text.contains(#""a\"b\\c\nd\te\u0001f 損失 \#u{2028}":1.0"#))
    let object = try JSONSerialization.jsonObject(with: Data(line.bytes)) as? [String: Any]
    #expect(object?[name] as? Double == 1)
  }

  @Test func nonFiniteValuesBecomeNull() throws {
    let folder = try temporaryFolder("metrics-null")
    let url = folder.appendingPathComponent("metrics.jsonl")
    let writer = try JSONLinesMetricsWriter(fileURL: url)
    try writer.append(step: 1, wallTime: 5, metrics: ["loss": .nan, "grad_norm": .infinity, "lr": 0.001])
    try writer.append(step: 2, wallTime: 6, metrics: ["loss": -.infinity])
    #expect(writer.nonFiniteValueCount == 3)
    writer.close()
    #expect(try readText(url) == """
      {"step":1,"wall_time":5.0,"loss":null,"grad_norm":null,"lr":0.001}
      {"step":2,"wall_time":6.0,"loss":null}

      """)
  }

  @Test(.enabled(if: TestEnvironment.hasPython, "needs the project's Python; run scripts/setup"))
  func pythonParsesEveryLine() throws {
    let folder = try temporaryFolder("metrics-python")
    let url = folder.appendingPathComponent("nested/metrics.jsonl")
    let writer = try JSONLinesMetricsWriter(fileURL: url)
    let values: [Double] = [0, -0.0, 1e-300, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 123456789.125, -2.5e-7, .nan]
    for (step, value) in values.enumerated() {
      try writer.append(step: step, wallTime: 1_700_000_000.125, metrics: [("v", value), ("名\"字\u{1F}", 1)])
    }
    writer.close()

    let output = try TestEnvironment.runPython(strictJSONScript, arguments: [url.path])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
    #expect(rows.count == values.count)
    for (row, value) in zip(rows, values) {
      if value.isNaN {
        #expect(row["v"] is NSNull)
      } else {
        #expect((row["v"] as? NSNumber)?.doubleValue == value)
      }
      #expect((row["名\"字\u{1F}"] as? NSNumber)?.doubleValue == 1)
      #expect((row["wall_time"] as? NSNumber)?.doubleValue == 1_700_000_000.125)
    }
    #expect(rows.map { ($0["step"] as? NSNumber)?.intValue } == Array(0..<values.count))
  }

  @Test func appendsAcrossWriters() throws {
    let folder = try temporaryFolder("metrics-append")
    let url = folder.appendingPathComponent("metrics.jsonl")
    let first = try JSONLinesMetricsWriter(fileURL: url)
    try first.append(step: 1, wallTime: 1, metrics: ["loss": 3])
    first.close()
    let second = try JSONLinesMetricsWriter(fileURL: url)
    try second.append(step: 2, wallTime: 2, metrics: ["loss": 2])
    second.close()
    #expect(try MetricsRecord.readLog(at: url).map(\.step) == [1, 2])
  }

  @Test func resumeTruncatesLaterSteps() throws {
    let folder = try temporaryFolder("metrics-resume")
    let url = folder.appendingPathComponent("metrics.jsonl")
    let writer = try JSONLinesMetricsWriter(fileURL: url)
    for step in stride(from: 10, through: 100, by: 10) {
      try writer.append(step: step, wallTime: Double(step), metrics: ["loss": 1 / Double(step)])
    }
    writer.close()

    let resumed = try JSONLinesMetricsWriter(fileURL: url, resumingAfterStep: 55)
    #expect(resumed.removedLineCount == 5)
    #expect(resumed.removedIncompleteLine == false)
    try resumed.append(step: 60, wallTime: 600, metrics: ["loss": 0.5])
    resumed.close()

    let records = try MetricsRecord.readLog(at: url)
    #expect(records.map(\.step) == [10, 20, 30, 40, 50, 60])
    #expect(records.last?.values["loss"] == 0.5)
    #expect(records.last?.wallTime == 600)
  }

  @Test func resumeCutsAtFirstLaterStep() throws {
    let folder = try temporaryFolder("metrics-resume-twice")
    let url = folder.appendingPathComponent("metrics.jsonl")
    let lines = [1, 2, 3, 4, 2, 3].map { "{\"step\":\($0),\"wall_time\":1.0}\n" }.joined()
    try Data(lines.utf8).write(to: url)

    let writer = try JSONLinesMetricsWriter(fileURL: url, resumingAfterStep: 2)
    writer.close()
    #expect(writer.removedLineCount == 4)
    #expect(try MetricsRecord.readLog(at: url).map(\.step) == [1, 2])
  }

  @Test func resumeReadsOtherLayouts() throws {
    let folder = try temporaryFolder("metrics-layouts")
    let url = folder.appendingPathComponent("metrics.jsonl")
    try Data("{\"loss\": 1, \"step\": 1}\n\n  \n{ \"step\" : 2.0 }\n{\"step\":3}\n".utf8).write(to: url)
    let writer = try JSONLinesMetricsWriter(fileURL: url, resumingAfterStep: 2)
    writer.close()
    #expect(writer.removedLineCount == 1)
    #expect(try readText(url) == "{\"loss\": 1, \"step\": 1}\n\n  \n{ \"step\" : 2.0 }\n")
  }

  @Test func incompleteLastLineIsRemoved() throws {
    let folder = try temporaryFolder("metrics-partial")
    let url = folder.appendingPathComponent("metrics.jsonl")
    try Data("{\"step\":1,\"wall_time\":1.0}\n{\"step\":2,\"wall_ti".utf8).write(to: url)
    let writer = try JSONLinesMetricsWriter(fileURL: url)
    #expect(writer.removedIncompleteLine)
    try writer.append(step: 2, wallTime: 2, metrics: ["loss": 1])
    writer.close()
    #expect(try readText(url) == "{\"step\":1,\"wall_time\":1.0}\n{\"step\":2,\"wall_time\":2.0,\"loss\":1.0}\n")
  }

  @Test func malformedLineNamesFileAndLine() throws {
    let folder = try temporaryFolder("metrics-malformed")
    let url = folder.appendingPathComponent("metrics.jsonl")
    try Data("{\"step\":1}\n{\"step\":\"two\"}\n{\"step\":3}\n".utf8).write(to: url)
    let error = #expect(throws: ReportingError.self) {
      _ = try JSONLinesMetricsWriter(fileURL: url, resumingAfterStep: 2)
    }
    #expect(error?.kind == .malformedLog)
    #expect(error?.line == 2)
    #expect(error?.description.hasPrefix(url.path + ":2: ") == true)
    #expect(try readText(url).hasSuffix("{\"step\":3}\n"), "a failed resume must leave the file unchanged")

    let readError = #expect(throws: ReportingError.self) { _ = try MetricsRecord.readLog(at: url) }
    #expect(readError?.line == 2)
  }

  @Test func invalidMetricNamesThrow() throws {
    let folder = try temporaryFolder("metrics-names")
    let writer = try JSONLinesMetricsWriter(fileURL: folder.appendingPathComponent("m.jsonl"))
    defer { writer.close() }
    for metrics: KeyValuePairs<String, Double> in [["": 1], ["step": 1], ["wall_time": 1], ["a": 1, "a": 2]] {
      let error = #expect(throws: ReportingError.self) { try writer.append(step: 1, metrics: metrics) }
      #expect(error?.kind == .invalidArgument)
    }
    let badTime = #expect(throws: ReportingError.self) {
      try writer.append(step: 1, wallTime: .nan, metrics: ["a": 1])
    }
    #expect(badTime?.kind == .invalidArgument)
    #expect(try readText(writer.fileURL).isEmpty)
  }

  @Test func appendAfterCloseThrows() throws {
    let folder = try temporaryFolder("metrics-closed")
    let writer = try JSONLinesMetricsWriter(fileURL: folder.appendingPathComponent("m.jsonl"))
    writer.close()
    let error = #expect(throws: ReportingError.self) { try writer.append(step: 1, metrics: ["a": 1]) }
    #expect(error?.kind == .closed)
  }

  @Test func seriesFromRecords() {
    let records = [
      MetricsRecord(step: 1, wallTime: nil, values: ["mlm": 3, "sop": 0.7]),
      MetricsRecord(step: 2, wallTime: nil, values: ["mlm": 2]),
    ]
    let series = MetricsRecord.series(["mlm", "sop", "missing"], in: records)
    #expect(series.map(\.name) == ["mlm", "sop", "missing"])
    #expect(series[0].points.map(\.0) == [1, 2])
    #expect(series[0].points.map(\.1) == [3, 2])
    #expect(series[1].points.count == 1)
    #expect(series[2].points.isEmpty)
  }
}
