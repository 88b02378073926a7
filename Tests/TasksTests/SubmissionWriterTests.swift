import Foundation
import ShenzhouTasks
import ShenzhouTestSupport
import Testing

struct SubmissionWriterTests {
  @Test func writesEveryFormat() throws {
    let directory = try TestEnvironment.temporaryDirectory("submit")
    let labels = try SubmissionWriter.write(
      task: .tnews, predictions: .labels([LabelPrediction(id: 0, label: "102"), LabelPrediction(id: "a", label: "116")]),
      to: directory)
    #expect(labels == directory + "/tnews_predict.json")
    #expect(try String(contentsOfFile: labels, encoding: .utf8) == """
      {"id": 0, "label": "102"}
      {"id": "a", "label": "116"}

      """)

    let answers = try SubmissionWriter.write(
      task: .cmrc2018,
      predictions: .answers([AnswerPrediction(id: "TEST_0_QUERY_0", text: "美国\"海军\""), AnswerPrediction(id: "TEST_0_QUERY_1", text: "")]),
      to: directory)
    #expect(try String(contentsOfFile: answers, encoding: .utf8) == """
      {
        "TEST_0_QUERY_0": "美国\\"海军\\"",
        "TEST_0_QUERY_1": ""
      }

      """)

    let chid = try SubmissionWriter.write(
      task: .chid, predictions: .choices([ChoicePrediction(id: "#idiom000001#", index: 3)]), to: directory)
    #expect(try String(contentsOfFile: chid, encoding: .utf8) == "{\n  \"#idiom000001#\": 3\n}\n")

    let c3 = try SubmissionWriter.write(
      task: .c3, predictions: .choices([ChoicePrediction(id: 0, index: 1), ChoicePrediction(id: 1, index: 0)]),
      to: directory)
    #expect(try String(contentsOfFile: c3, encoding: .utf8) == "{\"id\": 0, \"label\": 1}\n{\"id\": 1, \"label\": 0}\n")

    let ner = try SubmissionWriter.write(
      task: .cluener,
      predictions: .entities([
        EntityPrediction(
          id: 0, text: "彭小军认为，彭小军在台湾",
          entities: [
            EntitySpan(type: "address", start: 10, end: 12), EntitySpan(type: "name", start: 0, end: 3),
            EntitySpan(type: "name", start: 6, end: 9),
          ]),
        EntityPrediction(id: 1, text: "无", entities: []),
      ]),
      to: directory)
    #expect(try String(contentsOfFile: ner, encoding: .utf8) == """
      {"id": 0, "label": {"name": {"彭小军": [[0, 2], [6, 8]]}, "address": {"台湾": [[10, 11]]}}}
      {"id": 1, "label": {}}

      """)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
  }

  @Test func rejectsInvalidPredictions() throws {
    let directory = try TestEnvironment.temporaryDirectory("submit")
    #expect(throws: SubmissionError.wrongPredictionKind(task: "afqmc", given: "choices", expected: "labels")) {
      try SubmissionWriter.write(task: .afqmc, predictions: .choices([]), to: directory)
    }
    #expect(throws: SubmissionError.self) {
      try SubmissionWriter.write(task: .afqmc, predictions: .labels([LabelPrediction(id: 0, label: "2")]), to: directory)
    }
    #expect(throws: SubmissionError.duplicateID(4)) {
      try SubmissionWriter.write(
        task: .afqmc, predictions: .labels([LabelPrediction(id: 4, label: "0"), LabelPrediction(id: "4", label: "1")]),
        to: directory)
    }
    #expect(throws: SubmissionError.self) {
      try SubmissionWriter.write(task: .c3, predictions: .choices([ChoicePrediction(id: 0, index: -1)]), to: directory)
    }
    #expect(throws: SubmissionError.self) {
      try SubmissionWriter.write(
        task: .cluener,
        predictions: .entities([EntityPrediction(id: 0, text: "ab", entities: [EntitySpan(type: "name", start: 1, end: 3)])]),
        to: directory)
    }
    #expect(throws: SubmissionError.self) {
      try SubmissionWriter.write(
        task: .cluener,
        predictions: .entities([EntityPrediction(id: 0, text: "ab", entities: [EntitySpan(type: "person", start: 0, end: 1)])]),
        to: directory)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test func writeFailsOnBlockedDirectory() throws {
    let directory = try TestEnvironment.temporaryDirectory("submit")
    let blocker = directory + "/file"
    try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
    let error = #expect(throws: SubmissionError.self) {
      try SubmissionWriter.write(task: .afqmc, predictions: .labels([]), to: blocker + "/inner")
    }
    #expect(error?.description.hasPrefix("cannot write \(blocker)/inner/afqmc_predict.json") == true)
  }

  @Test(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
  func bundleIsValidZip() throws {
    let directory = try TestEnvironment.temporaryDirectory("submit")
    try SubmissionWriter.write(task: .afqmc, predictions: .labels([LabelPrediction(id: 0, label: "1")]), to: directory)
    try SubmissionWriter.write(
      task: .cmrc2018, predictions: .answers([AnswerPrediction(id: "Q", text: "北京")]), to: directory)
    try SubmissionWriter.write(task: .c3, predictions: .choices([]), to: directory)
    try "not a submission".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
    let zipPath = directory + "/out/submit_team_20240101.zip"
    let names = try SubmissionWriter.bundle(directory: directory, zipPath: zipPath)
    #expect(names == ["afqmc_predict.json", "c3_predict.json", "cmrc2018_predict.json"])

    let script = """
      import sys, zipfile
      with zipfile.ZipFile(sys.argv[1]) as archive:
          assert archive.testzip() is None
          for info in archive.infolist():
              data = archive.read(info)
              original = open(sys.argv[2] + '/' + info.filename, 'rb').read()
              print(info.filename, info.compress_type, info.file_size, data == original, info.date_time[0] >= 2000)
      """
    let lines = try TaskFixtures.python(script, [zipPath, directory])
    #expect(lines.count == 3)
    for (line, name) in zip(lines, names) {
      let size = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int ?? -1
      #expect(line == "\(name) 0 \(size) True True")
    }
    let unzip = try TestEnvironment.run("/usr/bin/env", ["python3", "-m", "zipfile", "-t", zipPath])
    #expect(unzip.status == 0, "\(unzip.stderr)")
  }

  @Test func bundleNeedsSubmissionFiles() throws {
    let directory = try TestEnvironment.temporaryDirectory("submit")
    #expect(throws: SubmissionError.noSubmissionFiles(directory: directory)) {
      try SubmissionWriter.bundle(directory: directory, zipPath: directory + "/a.zip")
    }
    #expect(throws: SubmissionError.self) {
      try SubmissionWriter.bundle(directory: directory + "/missing", zipPath: directory + "/a.zip")
    }
  }

  @Test(.enabled(if: TaskFixtures.hasCLUEData, TaskFixtures.missingDataReason))
  func writtenGoldScoresFull() throws {
    let directory = try TestEnvironment.temporaryDirectory("submit")
    let cases: [(TaskSpec, String)] = [
      (.cluewsc2020, "cluewsc2020/dev.json"), (.cmrc2018, "cmrc2018/dev.json"), (.chid, "chid/dev.json"),
      (.c3, "c3/c3-d-dev.json"), (.cluener, "cluener/dev.json"),
    ]
    for (task, file) in cases {
      let data = TaskFixtures.clue(file)
      let predictions: SubmissionPredictions
      switch try CLUEReader.read(task: task, path: data) {
      case .classification(let dataset):
        predictions = .labels(dataset.examples.map { LabelPrediction(id: $0.id, label: dataset.labels[$0.label ?? 0]) })
      case .spanExtraction(let dataset):
        predictions = .answers(dataset.examples.map { AnswerPrediction(id: $0.id, text: $0.answers.first?.text ?? "") })
      case .multipleChoice(let dataset):
        predictions = .choices(dataset.examples.map { ChoicePrediction(id: $0.id, index: $0.answer ?? 0) })
      case .tokenClassification(let dataset):
        predictions = .entities(dataset.examples.map { EntityPrediction(id: $0.id, text: $0.text, entities: $0.entities) })
      }
      let path = try SubmissionWriter.write(task: task, predictions: predictions, to: directory)
      let report = try TaskEvaluator.evaluate(task: task, dataPath: data, predictionsPath: path)
      let score = report["accuracy"] ?? report["f1"]
      #expect(score == 100, "\(task.name): \(report.json())")
    }
  }
}
