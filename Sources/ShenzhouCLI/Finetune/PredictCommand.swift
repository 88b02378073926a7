import Foundation
import ShenzhouCLIKit
import ShenzhouFinetune
import ShenzhouModels
import ShenzhouTasks

/// `shenzhou predict`: writes a task's CLUE submission file with a fine-tuned model.
struct PredictCommand: Command {
  static let model = Option<String>("model", valueName: "dir", help: "Fine-tuned model directory (e.g. OUTPUT/best).")
  static let data = Option<String>("data", valueName: "file", help: "File to predict, in the task's format; labels optional.")
  static let output = Option<String>("output", valueName: "dir", help: "Directory for {task}_predict.json.")
  static let zip = Option<String?>(
    "zip", valueName: "file", help: "Also bundle every *_predict.json in --output into this zip, as CLUE expects.")
  static let batchSize = Option<Int>("batch-size", default: 64, constraint: .positive, valueName: "n", help: "Examples per forward pass.")
  static let maxLength = Option<Int?>(
    "max-length", constraint: .positive, valueName: "n", unit: "tokens", help: "Longest input; default: the task's.")

  static let configuration = CommandConfiguration(
    name: "predict",
    abstract: "Predict a task's file with a fine-tuned model and write the CLUE submission file.",
    discussion: """
      Output: OUTPUT/{task}_predict.json in the official format of the task (label
      strings per id for classification, id → answer text for CMRC2018, id → index
      for ChID, index per id for C3, entity dictionaries for CLUENER). `shenzhou
      evaluate` scores such a file against a labelled one.
      """,
    arguments: [model, data, output, zip, batchSize, maxLength] + TaskOptions.all)

  let modelPath: String
  let dataPath: String
  let outputPath: String
  let zipPath: String?
  let selection: TaskSelection
  let config: FinetuneConfig

  init(parsed: ParsedArguments) throws {
    modelPath = try parsed[Self.model]
    dataPath = try parsed[Self.data]
    outputPath = try parsed[Self.output]
    zipPath = try parsed[Self.zip]
    // The fine-tuned model's id2label names the classes of a generic task.
    let modelLabels = try? ModelDirectory(path: modelPath).config().id2label.sorted { $0.key < $1.key }.map(\.value)
    selection = try TaskOptions.selection(parsed, trainFile: nil, modelLabels: modelLabels)
    var config = FinetuneConfig()
    config.evalBatchSize = try parsed[Self.batchSize]
    config.maxLength = try parsed[Self.maxLength] ?? selection.spec.defaults.maxLength
    self.config = config
  }

  func validate() throws {
    if outputPath.isEmpty { throw UsageError("--output must name a directory") }
  }

  func run() throws {
    let data = try selection.read(path: dataPath, requireLabels: false)
    let runner = TaskRunner(selection: selection, config: config, events: { _ in })
    let predictions = try runner.predict(model: modelPath, data: data)
    try FileManager.default.createDirectory(atPath: outputPath, withIntermediateDirectories: true)
    let file = try SubmissionWriter.write(task: selection.spec, predictions: predictions, to: outputPath)
    print("wrote \(data.count) predictions to \(file)")
    if let zipPath {
      let files = try SubmissionWriter.bundle(directory: outputPath, zipPath: zipPath)
      print("bundled \(files.count) submission file(s) into \(zipPath)")
    }
  }
}
