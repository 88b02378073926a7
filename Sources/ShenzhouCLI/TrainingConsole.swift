import Foundation
import ShenzhouReporting
import ShenzhouTraining

/// Prints training events: the resolved config, a one-line log for the logged steps, a progress bar with ETA when
/// stdout is a terminal, checkpoints and the end.
final class TrainingConsole: @unchecked Sendable {
  let sink = ConsoleSink.standardOutput
  var progress: ProgressDisplay?
  var formatter: StepLogFormatter?
  var timeLimitSeconds: Double?
  var firstStep = 0

  func handle(_ event: TrainingEvent) {
    switch event {
    case .started(let config, let parameters, let startStep, let resumedFrom, let timeLimit):
      timeLimitSeconds = timeLimit
      firstStep = startStep
      print("resolved config:\n\(config)")
      print("parameters: \(parameters) (\(formatCount(parameters)))")
      if let resumedFrom { print("resuming from \(resumedFrom) at step \(startStep)") }
    case .step(let record, let maxSteps, let logged):
      if formatter == nil {
        formatter = StepLogFormatter(totalSteps: maxSteps, objectives: ["loss"] + record.parts.keys.sorted())
        // The bar is redrawn in place, so it is shown on a terminal only; logs and pipes get the step lines.
        if sink.isTerminal { progress = ProgressDisplay(totalSteps: maxSteps, sink: sink) }
      }
      if logged, let formatter {
        // The run stops at run.max_steps or at run.max_minutes, whichever comes first.
        let stepsDone = Double(max(record.step - firstStep, 1))
        var remaining = record.elapsedSeconds / stepsDone * Double(maxSteps - record.step)
        if let timeLimitSeconds { remaining = min(remaining, max(timeLimitSeconds - record.elapsedSeconds, 0)) }
        let entry = StepLogEntry(
          step: record.step, losses: [("loss", record.loss)] + record.parts.keys.sorted().map { ($0, record.parts[$0]!) },
          learningRate: record.learningRate, gradientNorm: record.gradNorm, tokensPerSecond: record.tokensPerSecond,
          millisecondsPerStep: record.millisecondsPerStep, secondsRemaining: remaining)
        var line = formatter.format(entry)
        if record.skipped { line += String(format: "  skipped (loss scale %.0f)", record.lossScale) }
        if let progress { progress.log(line) } else { print(line) }
      }
      progress?.update(step: record.step, tokens: Int(record.tokensPerSecond * record.millisecondsPerStep / 1000))
    case .checkpointSaved(let path, let step):
      let line = "step \(step): saved checkpoint \(path)"
      if let progress { progress.log(line) } else { print(line) }
    case .finished(let step, let exportedModel, let reason):
      progress?.finish()
      print("finished at step \(step) (\(reason)); model exported to \(exportedModel)")
    }
    fflush(nil)
  }
}
