import ShenzhouCLIKit
import ShenzhouTasks

/// `shenzhou evaluate`: scores a CLUE submission file against a labelled file.
struct EvaluateCommand: Command {
  static let task = Option<String>(
    "task", valueName: "name",
    help: "Task name: \(TaskSpec.all.map(\.name).joined(separator: ", ")).")
  static let data = Option<String>(
    "data", valueName: "path", help: "Labelled file of the task in its published format, such as dev.json.")
  static let predictions = Option<String>(
    "predictions", valueName: "path", help: "Predictions in the task's CLUE submission format.")
  static let labels = Option<String?>(
    "labels", valueName: "path",
    help: "labels.json to use instead of the built-in labels (TNEWS, IFLYTEK) or entity types (CLUENER).")

  static let configuration = CommandConfiguration(
    name: "evaluate",
    abstract: "Score a CLUE submission file against a labelled file.",
    discussion: """
      Predictions file formats ({task}_predict.json):
        afqmc tnews iflytek ocnli cmnli cluewsc2020 csl
                  one JSON object per line: {"id": 0, "label": "1"}, label strings as in the data
        cmrc2018  one JSON object: {"DEV_0_QUERY_0": "answer text", ...}
        chid      one JSON object: {"1500": 2, ...}, the candidate index of each blank
        c3        one JSON object per line: {"id": 0, "label": 2}, the choice index
        cluener   one JSON object per line: {"id": 0, "label": {"name": {"彭小军": [[0, 2]]}}},
                  positions in characters with the end inclusive

      Records without an id field have their 0-based position as id (for C3, the question's
      position in the file). Every labelled record needs exactly one prediction. OCNLI and CMNLI
      records labelled "-" are not scored, and predictions for them are ignored.

      Output: one JSON object with "task", "metric" and scores in percent. The classification
      tasks, chid and c3 give "accuracy", "correct" and "total". cmrc2018 gives "average", "f1",
      "em" and "total", scored like the official CMRC 2018 script. cluener gives entity-level
      "precision", "recall" and "f1", the entity counts and "by_type".
      """,
    arguments: [task, data, predictions, labels])

  let taskSpec: TaskSpec
  let dataPath: String
  let predictionsPath: String
  let labelsPath: String?

  init(parsed: ParsedArguments) throws {
    let name = try parsed[Self.task]
    guard let spec = TaskSpec.named(name) else {
      throw UsageError(
        "unknown task \"\(name)\" for --task, expected one of \(TaskSpec.all.map(\.name).joined(separator: ", "))")
    }
    taskSpec = spec
    dataPath = try parsed[Self.data]
    predictionsPath = try parsed[Self.predictions]
    labelsPath = try parsed[Self.labels]
  }

  func run() throws {
    var options = CLUEReadOptions()
    if let labelsPath { options.labels = try LabelSet.load(path: labelsPath) }
    let report = try TaskEvaluator.evaluate(
      task: taskSpec, dataPath: dataPath, predictionsPath: predictionsPath, options: options)
    print(report.json())
  }
}
