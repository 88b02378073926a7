import Foundation
import ShenzhouTasks
import ShenzhouTestSupport
import Testing

/// The classification readers on the real CLUE dev files, checked against Python's json module.
@Suite(.enabled(if: TaskFixtures.hasCLUEData, TaskFixtures.missingDataReason))
struct CLUEClassificationFileTests {
  @Test func afqmcDev() throws {
    let dataset = try CLUEReader.readAFQMC(path: TaskFixtures.clue("afqmc/dev.json"))
    #expect(dataset.examples.count == 4316)
    let first = try #require(dataset.examples.first)
    #expect(first.id == 0)
    #expect(first.text == "双十一花呗提额在哪")
    #expect(first.pairText == "里可以提花呗额度")
    #expect(first.label.map { dataset.labels[$0] } == "0")
    let positives = dataset.examples.filter { $0.label.map { dataset.labels[$0] } == "1" }.count
    let expected = try TaskFixtures.python(
      "import json,sys; print(sum(json.loads(l)['label'] == '1' for l in open(sys.argv[1])))",
      [TaskFixtures.clue("afqmc/dev.json")])
    #expect(String(positives) == expected.first)
  }

  @Test func tnewsDevWithLabelsFile() throws {
    let labels = try LabelSet.load(path: TaskFixtures.clue("tnews/labels.json"))
    #expect(labels.names == TaskSpec.tnews.labels.names)
    #expect(labels.descriptions == TaskSpec.tnews.labels.descriptions)
    let dataset = try CLUEReader.readTNEWS(path: TaskFixtures.clue("tnews/dev.json"), labels: labels)
    #expect(dataset.examples.count == 5000)
    let first = try #require(dataset.examples.first)
    #expect(first.text == "江疏影甜甜圈自拍，迷之角度竟这么好看，美吸引一切事物")
    #expect(first.label.map { labels[$0] } == "102")
    #expect(first.label.flatMap { labels.descriptions[$0] } == "news_entertainment")
  }

  @Test func tnewsKeywordOptions() throws {
    let path = TaskFixtures.clue("tnews/dev.json")
    let appended = try CLUEReader.readTNEWS(path: path, keywords: .append(separator: "|"))
    #expect(appended.examples[0].text == "江疏影甜甜圈自拍，迷之角度竟这么好看，美吸引一切事物|江疏影,美少女,经纪人,甜甜圈")
    let paired = try CLUEReader.readTNEWS(path: path, keywords: .pairText)
    #expect(paired.examples[0].pairText == "江疏影,美少女,经纪人,甜甜圈")
    let emptyKeywords = try #require(appended.examples.indices.first { paired.examples[$0].pairText == "" })
    #expect(appended.examples[emptyKeywords].text == paired.examples[emptyKeywords].text)
  }

  @Test func iflytekDevWithIntegerLabels() throws {
    let labels = try LabelSet.load(path: TaskFixtures.clue("iflytek/labels.json"))
    #expect(labels.count == 119)
    #expect(labels.names == TaskSpec.iflytek.labels.names)
    #expect(labels.descriptions[0] == "打车")
    let dataset = try CLUEReader.readIFLYTEK(path: TaskFixtures.clue("iflytek/dev.json"), labels: labels)
    #expect(dataset.examples.count == 1373)
    #expect(dataset.examples[0].label.map { labels[$0] } == "113")
    #expect(dataset.examples[1].id == 200)
  }

  @Test func ocnliSkipsUnagreedPairs() throws {
    let dataset = try CLUEReader.readOCNLI(path: TaskFixtures.clue("ocnli/dev.json"))
    #expect(dataset.examples.count == 2950)
    #expect(dataset.skippedRecords.count == 50)
    #expect(dataset.skippedRecords.allSatisfy { $0.reason.contains("\"-\"") })
    #expect(dataset.examples[0].text == "身上裹一件工厂发的棉大衣,手插在袖筒里")
    #expect(dataset.examples[0].label.map { dataset.labels[$0] } == "entailment")
  }

  @Test func cmnliDev() throws {
    let dataset = try CLUEReader.readCMNLI(path: TaskFixtures.clue("cmnli/dev.json"))
    #expect(dataset.examples.count == 6117)
    #expect(dataset.skippedRecords.isEmpty)
    #expect(dataset.examples[2].label.map { dataset.labels[$0] } == "contradiction")
  }

  @Test func wscMarksBothSpans() throws {
    let dataset = try CLUEReader.readCLUEWSC2020(path: TaskFixtures.clue("cluewsc2020/dev.json"))
    #expect(dataset.examples.count == 304)
    let first = dataset.examples[0]
    #expect(first.id == 1)
    #expect(first.text.hasPrefix("有些这样的“_洋人_”就站在大众之间"))
    #expect(first.text.contains("[他们]排在"))
    #expect(first.label.map { dataset.labels[$0] } == "true")

    let script = """
      import json, sys
      for line in open(sys.argv[1]):
          r = json.loads(line); t = r['target']; x = r['text']
          marks = sorted([(t['span1_index'], 1, '_'), (t['span1_index'] + len(t['span1_text']), 0, '_'),
                          (t['span2_index'], 1, '['), (t['span2_index'] + len(t['span2_text']), 0, ']')])
          out, last = '', 0
          for position, _, mark in marks:
              out += x[last:position] + mark; last = position
          print(json.dumps(out + x[last:], ensure_ascii=False))
      """
    let expected = try TaskFixtures.python(script, [TaskFixtures.clue("cluewsc2020/dev.json")])
    #expect(expected.count == dataset.examples.count)
    for (example, line) in zip(dataset.examples, expected) {
      let text = try JSONSerialization.jsonObject(with: Data(line.utf8), options: .fragmentsAllowed) as? String
      #expect(example.text == text, "id \(example.id)")
    }
  }

  @Test func wscCustomMarkers() throws {
    let markers = WSCSpanMarkers(span1Open: "<a>", span1Close: "</a>", span2Open: "<b>", span2Close: "</b>")
    let dataset = try CLUEReader.readCLUEWSC2020(path: TaskFixtures.clue("cluewsc2020/dev.json"), markers: markers)
    #expect(dataset.examples[0].text.contains("“<a>洋人</a>”"))
    #expect(dataset.examples[0].text.contains("<b>他们</b>排在"))
  }

  @Test func cslPairsKeywordsWithAbstract() throws {
    let dataset = try CLUEReader.readCSL(path: TaskFixtures.clue("csl/dev.json"), keywordSeparator: "；")
    #expect(dataset.examples.count == 160)
    #expect(dataset.examples[0].text == "归责原则；拟制型污染；环境侵权；无过错责任")
    #expect(dataset.examples[0].pairText?.hasPrefix("归责原则是环境侵权制度的核心") == true)
    #expect(dataset.examples[0].label.map { dataset.labels[$0] } == "1")
  }

  @Test func tnewsTrainReadsFast() throws {
    let start = Date()
    let dataset = try CLUEReader.readTNEWS(path: TaskFixtures.clue("tnews/train.json"))
    let seconds = Date().timeIntervalSince(start)
    #expect(dataset.examples.count == 53360)
    print("TNEWS train: \(dataset.examples.count) records in \(String(format: "%.3f", seconds)) s")
  }

  @Test func readByTaskName() throws {
    for (task, file, count) in [
      (TaskSpec.afqmc, "afqmc/dev.json", 4316), (TaskSpec.csl, "csl/dev.json", 160),
      (TaskSpec.chid, "chid/dev.json", 202), (TaskSpec.c3, "c3/c3-m-dev.json", 1991),
      (TaskSpec.cmrc2018, "cmrc2018/dev.json", 1493), (TaskSpec.cluener, "cluener/dev.json", 1343),
    ] {
      let dataset = try CLUEReader.read(task: task, path: TaskFixtures.clue(file))
      #expect(dataset.count == count, "\(task.name)")
    }
  }
}

/// Error paths of the classification readers on small hand-made files.
struct ClassificationReaderErrorTests {
  @Test func missingFieldNamesLineAndField() throws {
    let path = try TaskFixtures.write(
      """
      {"sentence1": "a", "sentence2": "b", "label": "0"}
      {"sentence1": "a", "label": "1"}
      """)
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readAFQMC(path: path) }
    #expect(error?.kind == .invalidRecord)
    #expect(error?.location == .line(2))
    #expect(error?.field == "sentence2")
    #expect(error?.description == "\(path), line 2, field \"sentence2\": missing field")
  }

  @Test func wrongTypeIsInvalid() throws {
    let path = try TaskFixtures.write(#"{"sentence1": 5, "sentence2": "b", "label": "0"}"#)
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readAFQMC(path: path) }
    #expect(error?.field == "sentence1")
    #expect(error?.message == "expected a string, found a number")
  }

  @Test func unknownLabelIsNamed() throws {
    let path = try TaskFixtures.write(
      """
      {"sentence": "x", "label": "102"}

      {"sentence": "y", "label": "105"}
      """)
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readTNEWS(path: path) }
    #expect(error?.kind == .unknownLabel)
    #expect(error?.location == .line(3))
    #expect(error?.message.contains("\"105\"") == true)
  }

  @Test func missingLabelNeedsTestMode() throws {
    let path = try TaskFixtures.write(#"{"id": 7, "sentence1": "", "sentence2": ""}"#)
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readAFQMC(path: path) }
    #expect(error?.field == "label")
    let dataset = try CLUEReader.readAFQMC(path: path, requireLabels: false)
    #expect(dataset.examples == [ClassificationExample(id: 7, text: "", pairText: "", label: nil)])
  }

  @Test func invalidJSONLineIsNamed() throws {
    let path = try TaskFixtures.write("{\"sentence\": \"x\", \"label\": \"0\"}\n{\"sentence\": \"x\" \"label\": 1}\n")
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readIFLYTEK(path: path) }
    #expect(error?.kind == .invalidJSON)
    #expect(error?.location == .lineAndColumn(line: 2, column: 18))
  }

  @Test func invalidUTF8IsNamed() throws {
    let path = try TaskFixtures.write(bytes: Array(#"{"sentence": ""#.utf8) + [0xC3, 0x28] + Array(#"", "label": 1}"#.utf8))
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readIFLYTEK(path: path) }
    #expect(error?.kind == .invalidJSON)
    #expect(error?.message.contains("UTF-8") == true)
  }

  @Test func nonObjectLineIsInvalid() throws {
    let path = try TaskFixtures.write("[1, 2]\n")
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCMNLI(path: path) }
    #expect(error?.message == "expected a JSON object on each line, found an array")
  }

  @Test func duplicateIDIsRejected() throws {
    let path = try TaskFixtures.write(
      """
      {"id": 3, "sentence1": "a", "sentence2": "b", "label": "neutral"}
      {"id": "3", "sentence1": "a", "sentence2": "b", "label": "neutral"}
      """)
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readOCNLI(path: path) }
    #expect(error?.kind == .duplicateID)
    #expect(error?.message == "id 3 was already used at line 1")
  }

  @Test func missingFileIsUnreadable() {
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCSL(path: "/nonexistent/csl.json") }
    #expect(error?.kind == .unreadableFile)
    #expect(error?.description == "/nonexistent/csl.json: no such file")
  }

  @Test func wscSpanMismatchIsNamed() throws {
    let path = try TaskFixtures.write(
      #"{"target": {"span1_index": 0, "span1_text": "甲", "span2_index": 2, "span2_text": "他"}, "idx": 0, "label": "true", "text": "乙说他来了"}"#
    )
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCLUEWSC2020(path: path) }
    #expect(error?.field == "target.span1_index")
    #expect(error?.message == "the text at 0 is \"乙\", not the span text \"甲\"")
  }

  @Test func wscSpanOutsideText() throws {
    let path = try TaskFixtures.write(
      #"{"target": {"span1_index": 0, "span1_text": "乙", "span2_index": 9, "span2_text": "他"}, "label": "true", "text": "乙说他来了"}"#
    )
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCLUEWSC2020(path: path) }
    #expect(error?.field == "target.span2_index")
  }

  @Test func wscNestedSpansAreMarked() throws {
    let path = try TaskFixtures.write(
      #"{"target": {"span1_index": 0, "span1_text": "他的书", "span2_index": 0, "span2_text": "他"}, "label": "false", "text": "他的书"}"#
    )
    let dataset = try CLUEReader.readCLUEWSC2020(path: path)
    #expect(dataset.examples[0].text == "_[他]的书_")
  }

  @Test func cslKeywordMustBeStrings() throws {
    let path = try TaskFixtures.write(#"{"id": 0, "abst": "x", "keyword": ["a", 3], "label": "1"}"#)
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCSL(path: path) }
    #expect(error?.field == "keyword[1]")
  }

  @Test func labelsFileErrors() throws {
    let repeated = try TaskFixtures.write("{\"label\": \"0\"}\n{\"label\": 0}\n", name: "labels.json")
    let error = #expect(throws: TaskDataError.self) { try LabelSet.load(path: repeated) }
    #expect(error?.location == .line(2))
    let empty = try TaskFixtures.write("\n", name: "labels.json")
    #expect(throws: TaskDataError.self) { try LabelSet.load(path: empty) }
    #expect(throws: LabelSetError.duplicateLabel("a")) { try LabelSet(names: ["a", "b", "a"]) }
  }
}
