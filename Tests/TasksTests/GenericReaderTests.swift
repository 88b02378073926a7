import ShenzhouTasks
import Testing

/// User-supplied TSV and JSON Lines classification files.
struct GenericReaderTests {
  let labels: LabelSet

  init() throws {
    labels = try LabelSet(names: ["neg", "pos"])
  }

  @Test func tsvByHeaderNames() throws {
    let path = try TaskFixtures.write("id\tq1\tq2\tlabel\na7\t今天\t明天\tpos\nb8\t\t空\tneg\n", name: "data.tsv")
    let layout = TSVLayout(text: .name("q1"), pairText: .name("q2"), label: .name("label"), id: .name("id"), hasHeader: true)
    let dataset = try GenericClassificationReader.readTSV(path: path, layout: layout, labels: labels)
    #expect(dataset.examples == [
      ClassificationExample(id: "a7", text: "今天", pairText: "明天", label: 1),
      ClassificationExample(id: "b8", text: "", pairText: "空", label: 0),
    ])
  }

  @Test func tsvByIndexWithoutHeader() throws {
    let path = try TaskFixtures.write("pos\t好\r\n\nneg\t坏\r\n", name: "data.tsv")
    let layout = TSVLayout(text: .index(1), label: .index(0), hasHeader: false)
    let dataset = try GenericClassificationReader.readTSV(path: path, layout: layout, labels: labels)
    #expect(dataset.examples.map(\.text) == ["好", "坏"])
    #expect(dataset.examples.map(\.id) == [0, 1])
    #expect(dataset.examples.map(\.label) == [1, 0])
  }

  @Test func tsvErrors() throws {
    let ragged = try TaskFixtures.write("text\tlabel\na\tpos\nb\n", name: "data.tsv")
    let layout = TSVLayout(text: .name("text"), label: .name("label"), hasHeader: true)
    let raggedError = #expect(throws: TaskDataError.self) {
      try GenericClassificationReader.readTSV(path: ragged, layout: layout, labels: labels)
    }
    #expect(raggedError?.location == .line(3))
    #expect(raggedError?.message == "expected 2 tab-separated fields, found 1")

    let unknown = try TaskFixtures.write("text\tlabel\na\tmaybe\n", name: "data.tsv")
    let unknownError = #expect(throws: TaskDataError.self) {
      try GenericClassificationReader.readTSV(path: unknown, layout: layout, labels: labels)
    }
    #expect(unknownError?.kind == .unknownLabel)
    #expect(unknownError?.field == "column \"label\"")
    #expect(unknownError?.message.contains("\"maybe\"") == true)

    let noColumn = TSVLayout(text: .name("sentence"), label: .name("label"), hasHeader: true)
    #expect(throws: TaskDataError.self) {
      try GenericClassificationReader.readTSV(path: unknown, layout: noColumn, labels: labels)
    }
    let named = TSVLayout(text: .name("text"), label: .index(1), hasHeader: false)
    #expect(throws: TaskDataError.self) {
      try GenericClassificationReader.readTSV(path: unknown, layout: named, labels: labels)
    }
    let outOfRange = TSVLayout(text: .index(5), label: .index(1), hasHeader: false)
    #expect(throws: TaskDataError.self) {
      try GenericClassificationReader.readTSV(path: unknown, layout: outOfRange, labels: labels)
    }
  }

  @Test func jsonLinesWithNestedFields() throws {
    let path = try TaskFixtures.write(
      """
      {"q": {"a": "你好", "b": "您好"}, "y": 1, "key": "x1"}
      {"q": {"a": "", "b": "再见"}, "y": "0", "key": "x2"}
      """)
    let layout = JSONLinesLayout(text: "q.a", pairText: "q.b", label: "y", id: "key")
    let intLabels = try LabelSet(names: ["0", "1"])
    let dataset = try GenericClassificationReader.readJSONLines(path: path, layout: layout, labels: intLabels)
    #expect(dataset.examples == [
      ClassificationExample(id: "x1", text: "你好", pairText: "您好", label: 1),
      ClassificationExample(id: "x2", text: "", pairText: "再见", label: 0),
    ])
    let collected = try LabelSet.collect(jsonLinesPath: path, field: "y")
    #expect(collected.names == ["0", "1"])
  }

  @Test func jsonLinesErrors() throws {
    let path = try TaskFixtures.write("{\"text\": \"a\", \"label\": \"pos\"}\n{\"text\": \"b\", \"label\": \"mid\"}\n")
    let error = #expect(throws: TaskDataError.self) {
      try GenericClassificationReader.readJSONLines(path: path, labels: labels)
    }
    #expect(error?.kind == .unknownLabel)
    #expect(error?.location == .line(2))
    let noLabel = JSONLinesLayout(label: nil)
    #expect(throws: TaskDataError.self) {
      try GenericClassificationReader.readJSONLines(path: path, layout: noLabel, labels: labels)
    }
    let unlabelled = try GenericClassificationReader.readJSONLines(
      path: path, layout: noLabel, labels: labels, requireLabels: false)
    #expect(unlabelled.examples.map(\.label) == [nil, nil])
  }
}
