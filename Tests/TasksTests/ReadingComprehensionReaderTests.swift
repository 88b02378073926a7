import Foundation
import ShenzhouTasks
import ShenzhouTestSupport
import Testing

/// CMRC2018, C3 and ChID readers on the real files.
@Suite(.enabled(if: TaskFixtures.hasCLUEData, TaskFixtures.missingDataReason))
struct ReadingComprehensionFileTests {
  @Test func cmrc2018Dev() throws {
    let path = TaskFixtures.clue("cmrc2018/dev.json")
    let dataset = try CLUEReader.readCMRC2018(path: path)
    #expect(dataset.examples.count == 1493)
    let first = dataset.examples[0]
    #expect(first.id == "DEV_0_QUERY_0")
    #expect(first.question == "《战国无双3》是由哪两个公司合作开发的？")
    #expect(first.answers.count == 3)
    #expect(first.answers[0].text == "光荣和ω-force")
    #expect(first.answers[0].start == 11)

    let script = """
      import json, sys
      d = json.load(open(sys.argv[1]))
      relocated = unlocated = 0
      for a in d['data']:
          for p in a['paragraphs']:
              c = p['context']
              for q in p['qas']:
                  for x in q['answers']:
                      t, s = x['text'], x['answer_start']
                      if s >= 0 and c[s:s + len(t)] == t: continue
                      if t and t in c: relocated += 1
                      else: unlocated += 1
      print(relocated, unlocated)
      """
    let expected = try TaskFixtures.python(script, [path])
    #expect(expected.first == "\(dataset.relocatedAnswerCount) \(dataset.unlocatedAnswerCount)")
    #expect(dataset.relocatedAnswerCount + dataset.unlocatedAnswerCount > 0)

    for example in dataset.examples {
      let context = Array(example.context.unicodeScalars)
      for answer in example.answers {
        guard let range = answer.range else { continue }
        #expect(String(String.UnicodeScalarView(context[range])) == answer.text, "\(example.id)")
      }
    }
  }

  @Test func cmrc2018TrialRelocatesNearest() throws {
    let dataset = try CLUEReader.readCMRC2018(path: TaskFixtures.clue("cmrc2018/trial.json"))
    #expect(dataset.examples.count == 1002)
    let shifted = dataset.examples.flatMap(\.answers).first { $0.text == "俗名龙尖" && $0.declaredStart == 14 }
    #expect(shifted?.start == 13)
  }

  @Test func c3DialogueDev() throws {
    let path = TaskFixtures.clue("c3/c3-d-dev.json")
    let dataset = try CLUEReader.readC3(path: path)
    let script = """
      import json, sys
      for doc in json.load(open(sys.argv[1])):
          for q in doc[1]:
              print(json.dumps([len(q['choice']), q['choice'].index(q['answer'])]))
      """
    let expected = try TaskFixtures.python(script, [path])
    #expect(dataset.examples.count == expected.count)
    #expect(dataset.examples.count == 1825)
    for (index, (example, line)) in zip(dataset.examples, expected).enumerated() {
      #expect("[\(example.choices.count), \(example.answer ?? -1)]" == line, "question \(index)")
      #expect(example.id == ExampleID(index))
    }
    let first = dataset.examples[0]
    #expect(first.context == "男：听说你们公司要派你去南方工作?\n女：是呀，虽说那边环境好，待遇也不错，可我还是觉得在家里最好。")
    #expect(first.question == "他们在谈论什么?")
    #expect(first.choices == ["旅行", "坏境", "工作", "家庭"])
    #expect(first.answer == 2)
  }

  @Test func chidDev() throws {
    let dataset = try CLUEReader.readChID(path: TaskFixtures.clue("chid/dev.json"))
    #expect(dataset.examples.count == 202)
    let first = dataset.examples[0]
    #expect(first.id == 1500)
    #expect(first.choices.count == 7)
    #expect(first.answer == 2)
    #expect(first.context.hasPrefix("有时候我给你[MASK],但你却愿我家破人亡?"))
    let blank = try #require(first.blankRange)
    let scalars = Array(first.context.unicodeScalars)
    #expect(String(String.UnicodeScalarView(scalars[blank])) == "[MASK]")
  }
}

/// ChID and C3 layouts that the real files do not have, and the error paths.
struct ReadingComprehensionReaderTests {
  @Test func chidExpandsEveryBlank() throws {
    let path = try TaskFixtures.write(
      ##"{"id": 9, "candidates": ["一心一意", "三心二意", "画蛇添足"], "content": "他#idiom#地学习，不再#idiom#。", "answer": [0, 1]}"##
    )
    let dataset = try CLUEReader.readChID(path: path)
    #expect(dataset.examples.count == 2)
    #expect(dataset.examples[0].id == "9-0")
    #expect(dataset.examples[0].context == "他[MASK]地学习，不再[UNK]。")
    #expect(dataset.examples[0].blankRange == 1..<7)
    #expect(dataset.examples[0].answer == 0)
    #expect(dataset.examples[1].id == "9-1")
    #expect(dataset.examples[1].context == "他[UNK]地学习，不再[MASK]。")
    #expect(dataset.examples[1].blankRange == 12..<18)
    #expect(dataset.examples[1].answer == 1)
  }

  @Test func chidNumberedTagsBecomeIDs() throws {
    let path = try TaskFixtures.write(
      ##"{"candidates": ["甲", "乙"], "content": "#idiom000001#和#idiom000002#", "answer": [1, 0]}"##)
    let markers = ChIDBlankMarkers(current: "＿＿", other: "……")
    let dataset = try CLUEReader.readChID(path: path, markers: markers)
    #expect(dataset.examples.map(\.id) == ["#idiom000001#", "#idiom000002#"])
    #expect(dataset.examples.map(\.context) == ["＿＿和……", "……和＿＿"])
  }

  @Test func chidErrors() throws {
    let cases: [(String, String, String)] = [
      (##"{"id": 1, "candidates": ["a"], "content": "no blank", "answer": 0}"##, "content", "no #idiom# blank"),
      (##"{"id": 1, "candidates": ["a", "b"], "content": "#idiom#", "answer": 2}"##, "answer", "outside the 2 candidates"),
      (##"{"id": 1, "candidates": ["a", "b"], "content": "#idiom##idiom#", "answer": 1}"##, "answer", "2 blanks"),
      (##"{"id": 1, "candidates": [], "content": "#idiom#", "answer": 0}"##, "candidates", "empty"),
      (##"{"id": 1, "candidates": ["a", 2], "content": "#idiom#", "answer": 0}"##, "candidates[1]", "expected a string"),
      (##"{"id": 1, "candidates": ["a"], "content": "#idiom#", "answer": "x"}"##, "answer", "expected an integer"),
    ]
    for (line, field, message) in cases {
      let path = try TaskFixtures.write(line)
      let error = #expect(throws: TaskDataError.self) { try CLUEReader.readChID(path: path) }
      #expect(error?.field == field, "\(line)")
      #expect(error?.message.contains(message) == true, "\(line): \(error?.message ?? "")")
      #expect(error?.location == .line(1))
    }
  }

  @Test func chidTestFileWithoutAnswers() throws {
    let path = try TaskFixtures.write(##"{"id": 4, "candidates": ["a", "b"], "content": "x#idiom#y"}"##)
    #expect(throws: TaskDataError.self) { try CLUEReader.readChID(path: path) }
    let dataset = try CLUEReader.readChID(path: path, requireLabels: false)
    #expect(dataset.examples.first?.answer == nil)
  }

  @Test func c3Errors() throws {
    let cases: [(String, String, String?, String)] = [
      (#"[[["a"], [{"question": "q", "choice": ["x"], "answer": "x"}], "d1"]]"#, "[0][1][0]", "choice", "2 to 4 choices"),
      (#"[[["a"], [{"question": "q", "choice": ["x", "y"], "answer": "z"}], "d1"]]"#, "[0][1][0]", "answer", "\"z\""),
      (#"[[["a"], [{"choice": ["x", "y"], "answer": "x"}], "d1"]]"#, "[0][1][0]", "question", "missing field"),
      (#"[[["a", 1], [], "d1"]]"#, "[0][0][1]", nil, "expected a string"),
      (#"[[["a"]]]"#, "[0]", nil, "array of 1 elements"),
      (#"{"data": []}"#, "", nil, "JSON array of documents"),
    ]
    for (content, jsonPath, field, message) in cases {
      let path = try TaskFixtures.write(content)
      let error = #expect(throws: TaskDataError.self) { try CLUEReader.readC3(path: path) }
      #expect(error?.location == .jsonPath(jsonPath), "\(content)")
      #expect(error?.field == field, "\(content)")
      #expect(error?.message.contains(message) == true, "\(content): \(error?.message ?? "")")
    }
  }

  @Test func c3QuestionIDsAndTestFiles() throws {
    let path = try TaskFixtures.write(
      #"[[["甲：你好"], [{"question": "q", "choice": ["x", "y"], "id": 17}, {"question": "r", "choice": ["x", "y", "z"]}], "d1"]]"#
    )
    let dataset = try CLUEReader.readC3(path: path, requireLabels: false)
    #expect(dataset.examples.map(\.id) == [17, 1])
    #expect(dataset.examples.allSatisfy { $0.answer == nil })
  }

  @Test func cmrcErrorsNameJSONPath() throws {
    let cases: [(String, String, String?)] = [
      (#"{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "Q1", "answers": []}]}]}]}"#,
        "data[0].paragraphs[0].qas[0]", "question"),
      (#"{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "Q1", "question": "q", "answers": [{"text": "b"}]}]}]}]}"#,
        "data[0].paragraphs[0].qas[0].answers[0]", "answer_start"),
      (#"{"data": [{"paragraphs": [{"qas": []}]}]}"#, "data[0].paragraphs[0]", "context"),
      (#"{"data": [3]}"#, "data[0]", nil),
      (#"{"version": "v1.0"}"#, "", "data"),
    ]
    for (content, jsonPath, field) in cases {
      let path = try TaskFixtures.write(content)
      let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCMRC2018(path: path) }
      #expect(error?.location == .jsonPath(jsonPath), "\(content)")
      #expect(error?.field == field, "\(content)")
    }
  }

  @Test func cmrcDuplicateQuestionID() throws {
    let path = try TaskFixtures.write(
      #"{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "Q", "question": "a"}, {"id": "Q", "question": "b"}]}]}]}"#
    )
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCMRC2018(path: path) }
    #expect(error?.kind == .duplicateID)
    #expect(error?.location == .jsonPath("data[0].paragraphs[0].qas[1]"))
  }

  @Test func cmrcEmptyAnswerAndContext() throws {
    let path = try TaskFixtures.write(
      #"{"data": [{"paragraphs": [{"context": "", "qas": [{"id": "Q", "question": "", "answers": [{"text": "", "answer_start": -1}]}]}]}]}"#
    )
    let dataset = try CLUEReader.readCMRC2018(path: path)
    #expect(dataset.examples.first?.answers.first?.start == nil)
    #expect(dataset.unlocatedAnswerCount == 1)
  }
}
