import Foundation
import ShenzhouReporting

/// Writes a run's per-step metrics to `metrics.jsonl` and TensorBoard event files, and the loss curves to
/// `loss_curve.svg` at the end. A resumed run first drops metric lines after its starting step.
final class RunReporter {
  let directory: String
  let metrics: JSONLinesMetricsWriter
  let tensorBoard: TensorBoardWriter

  init(directory: String, resumingAfterStep step: Int) throws {
    self.directory = directory
    metrics = try JSONLinesMetricsWriter(
      fileURL: URL(fileURLWithPath: directory + "/metrics.jsonl"), resumingAfterStep: step)
    tensorBoard = try TensorBoardWriter(directory: URL(fileURLWithPath: directory + "/tensorboard"))
  }

  func record(_ step: StepRecord) throws {
    var values: [(name: String, value: Double)] = [("loss", step.loss)]
    for name in step.parts.keys.sorted() { values.append(("loss_" + name, step.parts[name] ?? .nan)) }
    values += [
      ("lr", step.learningRate), ("grad_norm", step.gradNorm), ("tokens_per_second", step.tokensPerSecond),
      ("ms_per_step", step.millisecondsPerStep), ("skipped", step.skipped ? 1 : 0), ("loss_scale", step.lossScale),
    ]
    try metrics.append(step: step.step, metrics: values)
    try tensorBoard.addScalars(values.map { (tag: "train/" + $0.name, value: $0.value) }, step: step.step)
  }

  /// Closes the logs and draws every `loss*` series of the whole run (earlier sessions included).
  func finish() throws {
    metrics.close()
    try tensorBoard.flush()
    tensorBoard.close()
    let records = try MetricsRecord.readLog(at: URL(fileURLWithPath: directory + "/metrics.jsonl"))
    var names: [String] = []
    for record in records {
      for name in record.values.keys.sorted() where name.hasPrefix("loss") && name != "loss_scale" {
        if !names.contains(name) { names.append(name) }
      }
    }
    try writeLossCurves(
      series: MetricsRecord.series(names, in: records), title: "Pretraining loss",
      options: LossCurveOptions(smoothing: 0.9), to: URL(fileURLWithPath: directory + "/loss_curve.svg"))
  }
}
