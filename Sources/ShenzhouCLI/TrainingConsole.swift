import Foundation
import ShenzhouTraining

/// Prints training events: the resolved config, one line per logged step, checkpoints and the end.
final class TrainingConsole: @unchecked Sendable {
  let isTerminal = isatty(STDOUT_FILENO) != 0

  func handle(_ event: TrainingEvent) {
    switch event {
    case .started(let config, let parameters, let startStep, let resumedFrom):
      print("resolved config:\n\(config)")
      print("parameters: \(parameters) (\(formatCount(parameters)))")
      if let resumedFrom { print("resuming from \(resumedFrom) at step \(startStep)") }
    case .step(let record, let maxSteps):
      print(stepLine(record, maxSteps: maxSteps))
    case .checkpointSaved(let path, let step):
      print("step \(step): saved checkpoint \(path)")
    case .finished(let step, let exportedModel, let reason):
      print("finished at step \(step) (\(reason)); model exported to \(exportedModel)")
    }
    fflush(nil)
  }

  func stepLine(_ record: StepRecord, maxSteps: Int) -> String {
    var text = String(format: "step %6d/%d  loss %.4f", record.step, maxSteps, record.loss)
    for name in record.parts.keys.sorted() {
      text += "  \(name) " + String(format: "%.4f", record.parts[name] ?? .nan)
    }
    text += String(
      format: "  lr %.3e  grad_norm %.3f  %.0f tok/s  %.0f ms/step", record.learningRate, record.gradNorm,
      record.tokensPerSecond, record.millisecondsPerStep)
    if record.skipped { text += String(format: "  skipped (loss scale %.0f)", record.lossScale) }
    if record.step > 0 {
      let remaining = record.elapsedSeconds / Double(record.step) * Double(maxSteps - record.step)
      text += "  eta " + formatDuration(remaining)
    }
    return text
  }
}

func formatDuration(_ seconds: Double) -> String {
  let total = Int(seconds.rounded())
  return total >= 3600
    ? String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
    : String(format: "%dm%02ds", total / 60, total % 60)
}
