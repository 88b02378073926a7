import ShenzhouTasks
import Testing

/// TaskEvaluator on small hand-made data and predictions files.
struct TaskEvaluatorTests {
  private func evaluate(_ task: TaskSpec, data: String, predictions: String, name: String = "p.json") throws
    -> EvaluationReport
  {
    let dataPath = try TaskFixtures.write(data, name: "data.json")
    let predictionsPath = try TaskFixtures.write(predictions, name: name)
    return try TaskEvaluator.evaluate(task: task, dataPath: dataPath, predictionsPath: predictionsPath)
  }

  private let ocnliData = """
    {"id": 0, "sentence1": "a", "sentence2": "b", "label": "neutral"}
    {"id": 1, "sentence1": "a", "sentence2": "b", "label": "-"}
    {"id": 2, "sentence1": "a", "sentence2": "b", "label": "entailment"}
    """

  @Test func skippedRecordPredictionsAreIgnored() throws {
    let report = try evaluate(
      .ocnli, data: ocnliData,
      predictions: """
        {"id": 0, "label": "neutral"}
        {"id": 1, "label": "neutral"}
        {"id": 2, "label": "neutral"}
        """)
    #expect(report["accuracy"] == 50)
    #expect(report["total"] == 2)
    #expect(report["skipped"] == 1)
    #expect(report.json() == #"{"task": "ocnli", "metric": "accuracy", "accuracy": 50.0, "correct": 1, "total": 2, "skipped": 1}"#)
  }

  @Test func integerLabelsMatchStrings() throws {
    let report = try evaluate(
      .iflytek, data: #"{"id": 5, "sentence": "x", "label": 7}"#, predictions: #"{"id": "5", "label": 7}"#)
    #expect(report["accuracy"] == 100)
  }

  @Test func cmrcQuestionWithoutAnswers() throws {
    let data = #"{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "Q", "question": "q"}]}]}]}"#
    let error = #expect(throws: TaskDataError.self) {
      try evaluate(.cmrc2018, data: data, predictions: #"{"Q": "a"}"#)
    }
    #expect(error?.field == "answers")
    #expect(error?.message.contains("question Q has no gold answer") == true)
  }

  @Test func cmrcPredictionsMustBeObject() throws {
    let data = #"{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "Q", "question": "q", "answers": [{"text": "b", "answer_start": 1}]}]}]}]}"#
    let array = #expect(throws: TaskDataError.self) { try evaluate(.cmrc2018, data: data, predictions: #"["b"]"#) }
    #expect(array?.message.contains("expected one JSON object") == true)
    let repeated = #expect(throws: TaskDataError.self) {
      try evaluate(.cmrc2018, data: data, predictions: #"{"Q": "b", "Q": "c"}"#)
    }
    #expect(repeated?.kind == .duplicateID)
    #expect(repeated?.location == .jsonPath(#"["Q"]"#))
    let report = try evaluate(.cmrc2018, data: data, predictions: #"{"Q": "《b》"}"#)
    #expect(report["em"] == 100)
    #expect(report["f1"] == 100)
  }

  @Test func chidPredictionMustBeIndex() throws {
    let data = ##"{"id": 3, "candidates": ["甲", "乙"], "content": "#idiom#", "answer": 1}"##
    let error = #expect(throws: TaskDataError.self) { try evaluate(.chid, data: data, predictions: #"{"3": "x"}"#) }
    #expect(error?.message == "expected a choice index, found a string")
    #expect(error?.location == .jsonPath(#"["3"]"#))
    let report = try evaluate(.chid, data: data, predictions: #"{"3": 1}"#)
    #expect(report["accuracy"] == 100)
  }

  @Test func predictionLineNeedsID() throws {
    let error = #expect(throws: TaskDataError.self) {
      try evaluate(.ocnli, data: ocnliData, predictions: #"{"label": "neutral"}"#)
    }
    #expect(error?.field == "id")
    #expect(error?.location == .line(1))
  }

  @Test func entityScoresByType() throws {
    let data = """
      {"text": "彭小军在台湾", "label": {"name": {"彭小军": [[0, 2]]}, "address": {"台湾": [[4, 5]]}}}
      """
    let report = try evaluate(
      .cluener, data: data, predictions: #"{"id": 0, "label": {"name": {"彭小军": [[0, 2]]}, "address": {"在台湾": [[3, 5]]}}}"#)
    #expect(report["precision"] == 50)
    #expect(report["recall"] == 50)
    #expect(report["correct_entities"] == 1)
    #expect(report.json().contains(#""by_type": {"address": {"precision": 0.0"#))
  }

  @Test func wscCrossingSpansAreRejected() throws {
    let path = try TaskFixtures.write(
      #"{"target": {"span1_index": 0, "span1_text": "他的", "span2_index": 1, "span2_text": "的书"}, "label": "false", "text": "他的书"}"#
    )
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCLUEWSC2020(path: path) }
    #expect(error?.field == "target")
    #expect(error?.message.contains("cross") == true)
  }
}
