import Foundation
import ShenzhouTasks
import ShenzhouTestSupport
import Testing

/// Writes prediction files in the CLUE submission formats from the gold labels of a dev file,
/// independently of the Swift readers. Arguments: task, data file, output file, and a step N (0 for
/// none) that makes every Nth prediction wrong: the next label or choice, or for CLUENER the first
/// entity type left out. Prints the number of predictions it changed.
private let goldPredictionScript = #"""
  import json, sys
  task, data, output, step = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
  LABELS = {'afqmc': ['0', '1'], 'csl': ['0', '1'], 'cluewsc2020': ['true', 'false'],
            'ocnli': ['contradiction', 'entailment', 'neutral'], 'cmnli': ['contradiction', 'entailment', 'neutral'],
            'iflytek': [str(i) for i in range(119)],
            'tnews': ['100', '101', '102', '103', '104', '106', '107', '108', '109', '110', '112', '113', '114', '115', '116']}
  changed = 0
  def corrupt(index):
      return step > 0 and index % step == 0
  with open(output, 'w') as out:
      if task in LABELS:
          for index, line in enumerate(open(data)):
              record = json.loads(line)
              rid = record.get('id', record.get('idx', index))
              label = str(record['label'])
              if corrupt(index) and label != '-':
                  options = LABELS[task]
                  label = options[(options.index(label) + 1) % len(options)]
                  changed += 1
              out.write(json.dumps({'id': rid, 'label': label}) + '\n')
      elif task == 'cmrc2018':
          answers = {}
          for article in json.load(open(data))['data']:
              for paragraph in article['paragraphs']:
                  for q in paragraph['qas']:
                      answers[q['id']] = q['answers'][-1]['text']
          json.dump(answers, out, ensure_ascii=False, indent=2)
      elif task == 'chid':
          answers = {}
          for index, line in enumerate(open(data)):
              record = json.loads(line)
              answer = record['answer']
              if corrupt(index):
                  answer = (answer + 1) % len(record['candidates'])
                  changed += 1
              answers[str(record['id'])] = answer
          json.dump(answers, out)
      elif task == 'c3':
          index = 0
          for document in json.load(open(data)):
              for q in document[1]:
                  label = q['choice'].index(q['answer'])
                  if corrupt(index) and q['choice'].count(q['choice'][(label + 1) % len(q['choice'])]) == 1:
                      label = (label + 1) % len(q['choice'])
                      changed += 1
                  out.write(json.dumps({'id': index, 'label': label}) + '\n')
                  index += 1
      elif task == 'cluener':
          for index, line in enumerate(open(data)):
              record = json.loads(line)
              label = record['label']
              if corrupt(index) and label:
                  label = dict(list(label.items())[1:])
                  changed += 1
              out.write(json.dumps({'id': index, 'label': label}, ensure_ascii=False) + '\n')
  print(changed)
  """#

/// `shenzhou evaluate` through the built binary on the real dev files.
@Suite(
  .enabled(if: TaskFixtures.hasCLUEData, TaskFixtures.missingDataReason),
  .enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"),
  .enabled(
    if: FileManager.default.isExecutableFile(atPath: TestEnvironment.shenzhouBinary),
    "needs the shenzhou executable (run swift build first)"))
struct EvaluateCommandTests {
  static let devFiles: [(task: String, file: String)] = [
    ("afqmc", "afqmc/dev.json"), ("tnews", "tnews/dev.json"), ("iflytek", "iflytek/dev.json"),
    ("ocnli", "ocnli/dev.json"), ("cmnli", "cmnli/dev.json"), ("cluewsc2020", "cluewsc2020/dev.json"),
    ("csl", "csl/dev.json"), ("cmrc2018", "cmrc2018/dev.json"), ("chid", "chid/dev.json"),
    ("c3", "c3/c3-m-dev.json"), ("cluener", "cluener/dev.json"),
  ]

  /// Writes gold predictions (every `step`-th changed when step > 0) and returns the path and the
  /// number of changed records.
  private func predictions(task: String, data: String, step: Int = 0) throws -> (path: String, changed: Int) {
    let path = try TestEnvironment.temporaryDirectory("evaluate") + "/\(task)_predict.json"
    let output = try TaskFixtures.python(goldPredictionScript, [task, data, path, String(step)])
    return (path, Int(output.last ?? "") ?? -1)
  }

  private func evaluate(_ task: String, _ data: String, _ predictions: String) throws
    -> (status: Int32, json: [String: Any], stderr: String)
  {
    let result = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["evaluate", "--task", task, "--data", data, "--predictions", predictions])
    let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (result.status, object ?? [:], result.stderr)
  }

  @Test(arguments: devFiles)
  func goldPredictionsScoreFull(task: String, file: String) throws {
    let data = TaskFixtures.clue(file)
    let (path, _) = try predictions(task: task, data: data)
    let result = try evaluate(task, data, path)
    try #require(result.status == 0, "\(task): \(result.stderr)")
    #expect(result.json["task"] as? String == task)
    switch task {
    case "cmrc2018":
      #expect(result.json["em"] as? Double == 100)
      #expect(result.json["f1"] as? Double == 100)
      #expect(result.json["total"] as? Int == 1493)
    case "cluener":
      #expect(result.json["f1"] as? Double == 100)
      #expect(result.json["precision"] as? Double == 100)
      #expect(result.json["sentences"] as? Int == 1343)
      #expect((result.json["by_type"] as? [String: Any])?.count == 10)
    default:
      #expect(result.json["accuracy"] as? Double == 100, "\(task)")
      #expect((result.json["total"] as? Int ?? 0) > 0)
    }
  }

  @Test(arguments: ["afqmc", "tnews", "ocnli", "chid", "c3"])
  func changedPredictionsLowerAccuracy(task: String) throws {
    let file = Self.devFiles.first { $0.task == task }?.file ?? ""
    let data = TaskFixtures.clue(file)
    let (path, changed) = try predictions(task: task, data: data, step: 7)
    let result = try evaluate(task, data, path)
    try #require(result.status == 0, "\(result.stderr)")
    let total = try #require(result.json["total"] as? Int)
    #expect(changed > 0)
    #expect(result.json["correct"] as? Int == total - changed)
  }

  @Test func ocnliIgnoresUnagreedRecords() throws {
    let data = TaskFixtures.clue("ocnli/dev.json")
    let (path, _) = try predictions(task: "ocnli", data: data)
    let result = try evaluate("ocnli", data, path)
    #expect(result.json["total"] as? Int == 2950)
    #expect(result.json["skipped"] as? Int == 50)
  }

  @Test func clueNERDroppedTypesLowerRecall() throws {
    let data = TaskFixtures.clue("cluener/dev.json")
    let (path, changed) = try predictions(task: "cluener", data: data, step: 5)
    let result = try evaluate("cluener", data, path)
    try #require(result.status == 0, "\(result.stderr)")
    #expect(changed > 0)
    #expect(result.json["precision"] as? Double == 100)
    #expect((result.json["recall"] as? Double ?? 100) < 100)
  }

  // MARK: - Corrupted predictions

  /// Rewrites a gold predictions file with `edit` applied to its lines and expects a one-line error
  /// containing every string of `expected`.
  private func expectError(
    task: String, file: String, expected: [String], edit: (inout [String]) -> Void
  ) throws {
    let data = TaskFixtures.clue(file)
    let (path, _) = try predictions(task: task, data: data)
    var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    edit(&lines)
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let result = try evaluate(task, data, path)
    #expect(result.status == 1, "\(task) \(expected)")
    #expect(result.json.isEmpty)
    let errorLines = result.stderr.split(separator: "\n")
    #expect(errorLines.count == 1, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("error: \(path)"), "\(result.stderr)")
    for text in expected {
      #expect(result.stderr.contains(text), "expected \"\(text)\" in: \(result.stderr)")
    }
  }

  @Test func brokenJSONLineIsNamed() throws {
    try expectError(task: "afqmc", file: "afqmc/dev.json", expected: ["line 3, column", "invalid JSON"]) { lines in
      lines[2] = "{\"id\": 2, \"label\": \"0\""
    }
  }

  @Test func unknownIDIsNamed() throws {
    try expectError(task: "afqmc", file: "afqmc/dev.json", expected: ["line 5", "id 99999 is not in the labelled data"]) {
      lines in lines[4] = "{\"id\": 99999, \"label\": \"0\"}"
    }
  }

  @Test func missingIDIsNamed() throws {
    try expectError(task: "csl", file: "csl/dev.json", expected: ["no prediction for id 159"]) { lines in
      lines.remove(at: 159)
    }
  }

  @Test func repeatedIDIsNamed() throws {
    try expectError(task: "cmnli", file: "cmnli/dev.json", expected: ["line 2", "id 0 has a second prediction"]) {
      lines in lines[1] = lines[0]
    }
  }

  @Test func unknownLabelIsNamed() throws {
    try expectError(task: "tnews", file: "tnews/dev.json", expected: ["line 4", "field \"label\"", "\"105\""]) {
      lines in lines[3] = "{\"id\": 3, \"label\": \"105\"}"
    }
  }

  @Test func missingLabelFieldIsNamed() throws {
    try expectError(task: "iflytek", file: "iflytek/dev.json", expected: ["line 1", "field \"label\"", "missing"]) {
      lines in lines[0] = "{\"id\": 0}"
    }
  }

  @Test func cmrcUnknownID() throws {
    try expectError(
      task: "cmrc2018", file: "cmrc2018/dev.json", expected: ["[\"DEV_X\"]", "id DEV_X is not in the labelled data"]
    ) { lines in
      lines[1] = lines[1].replacingOccurrences(of: "DEV_0_QUERY_0", with: "DEV_X")
    }
  }

  @Test func cmrcMissingID() throws {
    try expectError(
      task: "cmrc2018", file: "cmrc2018/dev.json", expected: ["no prediction for id DEV_0_QUERY_0 and 1 more ids"]
    ) { lines in
      lines.remove(at: 2)
      lines.remove(at: 1)
    }
  }

  @Test func cmrcAnswerMustBeText() throws {
    try expectError(task: "cmrc2018", file: "cmrc2018/dev.json", expected: ["[\"DEV_0_QUERY_1\"]", "expected the answer text"]) {
      lines in lines[2] = "  \"DEV_0_QUERY_1\": 5,"
    }
  }

  @Test func c3ChoiceOutOfRange() throws {
    try expectError(task: "c3", file: "c3/c3-m-dev.json", expected: ["line 2", "choice index 9", "id 1"]) { lines in
      lines[1] = "{\"id\": 1, \"label\": 9}"
    }
  }

  @Test func clueNERMentionMismatch() throws {
    try expectError(
      task: "cluener", file: "cluener/dev.json", expected: ["line 1", "label.name.彭小[0]", "not the mention"]
    ) { lines in
      lines[0] = "{\"id\": 0, \"label\": {\"name\": {\"彭小\": [[1, 2]]}}}"
    }
  }

  @Test func clueNERUnknownType() throws {
    try expectError(task: "cluener", file: "cluener/dev.json", expected: ["line 2", "entity type \"person\""]) {
      lines in lines[1] = "{\"id\": 1, \"label\": {\"person\": {}}}"
    }
  }

  @Test func usageErrors() throws {
    let unknown = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["evaluate", "--task", "glue", "--data", "x", "--predictions", "y"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown task \"glue\""))
    let missing = try TestEnvironment.run(TestEnvironment.shenzhouBinary, ["evaluate", "--task", "afqmc"])
    #expect(missing.status == 2)
    let noFile = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      ["evaluate", "--task", "afqmc", "--data", "/nonexistent/dev.json", "--predictions", "y"])
    #expect(noFile.status == 1)
    #expect(noFile.stderr == "error: /nonexistent/dev.json: no such file\n")
  }
}
