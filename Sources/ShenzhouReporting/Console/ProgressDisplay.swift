import Foundation

/// Shows training progress on a console. On a terminal it redraws a bar in place with the
/// step count, percentage, time remaining and throughput. Elsewhere (a log file, a pipe, a CI
/// job) it writes a plain progress line at most every `plainInterval` seconds. Step log
/// lines passed to `log` appear above the bar.
///
/// It owns a ``ThroughputEstimator`` that `update` feeds.
///
/// All methods may be called from any thread.
public final class ProgressDisplay: @unchecked Sendable {
  public let totalSteps: Int
  public let sink: ConsoleSink
  /// The number of characters inside the bar's brackets.
  public let barWidth: Int
  /// The minimum seconds between two plain progress lines when the sink is not a terminal.
  public let plainInterval: Double
  /// The minimum seconds between two redraws of the bar on a terminal.
  public let redrawInterval: Double

  private let clock: @Sendable () -> Double

  // `lock` guards every property below it.
  private let lock = NSLock()
  private var estimator: ThroughputEstimator
  private var step = 0
  private var lastOutputTime: Double?
  private var barIsShown = false
  private var finished = false

  /// - Parameters:
  ///   - clock: seconds on a monotonic clock; the default measures from the creation of
  ///     this display. Tests pass a fake clock.
  public init(
    totalSteps: Int, sink: ConsoleSink, barWidth: Int = 30, plainInterval: Double = 30,
    redrawInterval: Double = 0.1, smoothing: Double = 0.9,
    clock: (@Sendable () -> Double)? = nil
  ) {
    self.totalSteps = max(totalSteps, 0)
    self.sink = sink
    self.barWidth = max(barWidth, 1)
    self.plainInterval = plainInterval
    self.redrawInterval = redrawInterval
    self.clock = clock ?? monotonicSecondsSinceNow()
    estimator = ThroughputEstimator(smoothing: smoothing)
  }

  // MARK: - Updating

  /// Records that training reached `step` after processing `tokens` tokens since the previous
  /// update, and redraws the bar or writes a plain line when it is due. Reaching
  /// `totalSteps` always produces output.
  public func update(step: Int, tokens: Int = 0) {
    lock.lock()
    defer { lock.unlock() }
    let now = clock()
    estimator.record(step: step, tokens: tokens, time: now)
    self.step = step

    let interval = sink.isTerminal ? redrawInterval : plainInterval
    let due = lastOutputTime.map { now - $0 >= interval } ?? true
    guard due || step >= totalSteps else { return }
    lastOutputTime = now
    if sink.isTerminal {
      sink.write(Self.clearLine + statusLine(bar: true))
      barIsShown = true
    } else {
      sink.write(statusLine(bar: false) + "\n")
    }
  }

  /// Writes `line` and a line break. On a terminal, the bar is erased first and drawn again
  /// below the line.
  public func log(_ line: String) {
    lock.lock()
    defer { lock.unlock() }
    if sink.isTerminal && barIsShown {
      sink.write(Self.clearLine + line + "\n" + statusLine(bar: true))
    } else {
      sink.write(line + "\n")
    }
  }

  /// Draws the final state and ends the bar's line. Later calls do nothing.
  public func finish() {
    lock.lock()
    defer { lock.unlock() }
    guard !finished else { return }
    finished = true
    if sink.isTerminal {
      sink.write(Self.clearLine + statusLine(bar: true) + "\n")
    } else {
      sink.write(statusLine(bar: false) + "\n")
    }
    barIsShown = false
  }

  /// The current smoothed throughput, for the step log.
  public var throughput: ThroughputEstimator {
    lock.lock()
    defer { lock.unlock() }
    return estimator
  }

  // MARK: - Rendering

  /// Carriage return and ANSI "erase entire line".
  static let clearLine = "\r\u{1B}[2K"

  private func statusLine(bar: Bool) -> String {
    Self.statusLine(
      step: step, totalSteps: totalSteps, barWidth: bar ? barWidth : nil,
      secondsRemaining: estimator.secondsRemaining(untilStep: totalSteps),
      tokensPerSecond: estimator.tokensPerSecond)
  }

  /// Returns `[=========>          ]  31.0%  310/1000  eta 2m05s  12.3k tok/s` with a bar
  /// when `barWidth` is given, or `progress  31.0%  310/1000  eta 2m05s  12.3k tok/s`
  /// without one. Unknown values are left out.
  static func statusLine(
    step: Int, totalSteps: Int, barWidth: Int?, secondsRemaining: Double?,
    tokensPerSecond: Double?
  ) -> String {
    let fraction = totalSteps > 0 ? min(max(Double(step) / Double(totalSteps), 0), 1) : 1
    var fields: [String] = []
    if let barWidth {
      let filled = Int((fraction * Double(barWidth)).rounded(.down))
      var bar = String(repeating: "=", count: filled)
      if filled < barWidth {
        bar += ">" + String(repeating: " ", count: barWidth - filled - 1)
      }
      fields.append("[" + bar + "]")
    } else {
      fields.append("progress")
    }
    fields.append(NumberText.padLeft(NumberText.fixed(fraction * 100, decimals: 1) + "%", to: 6))
    let totalText = String(totalSteps)
    fields.append(NumberText.padLeft(String(step), to: totalText.count) + "/" + totalText)
    if let secondsRemaining { fields.append("eta " + formatDuration(seconds: secondsRemaining)) }
    if let tokensPerSecond, tokensPerSecond > 0 {
      fields.append(NumberText.compact(tokensPerSecond) + " tok/s")
    }
    return fields.joined(separator: "  ")
  }
}

/// Returns a clock that reads the seconds elapsed since this call on `ContinuousClock`.
func monotonicSecondsSinceNow() -> @Sendable () -> Double {
  let start = ContinuousClock.now
  return {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }
}
