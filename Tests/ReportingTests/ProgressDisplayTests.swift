import Foundation
import Testing

@testable import ShenzhouReporting

/// Text written to a sink, safe to append from the display's lock.
private final class CapturedOutput: @unchecked Sendable {
  private let lock = NSLock()
  private var chunks: [String] = []

  func append(_ text: String) {
    lock.lock()
    chunks.append(text)
    lock.unlock()
  }

  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return chunks
  }
}

/// A clock that tests move by hand.
private final class ManualClock: @unchecked Sendable {
  private let lock = NSLock()
  private var seconds = 0.0

  func advance(by delta: Double) {
    lock.lock()
    seconds += delta
    lock.unlock()
  }

  var now: Double {
    lock.lock()
    defer { lock.unlock() }
    return seconds
  }
}

@Suite struct ProgressDisplayTests {
  @Test func estimatorAtSteadyRate() throws {
    var estimator = ThroughputEstimator(smoothing: 0.9)
    #expect(estimator.secondsPerStep == nil)
    for step in 0...10 {
      estimator.record(step: step, tokens: 1000, time: Double(step) * 0.5)
    }
    #expect(try #require(estimator.secondsPerStep) == 0.5)
    #expect(try #require(estimator.tokensPerSecond) == 2000)
    #expect(try #require(estimator.secondsRemaining(untilStep: 110)) == 50)
    #expect(estimator.secondsRemaining(untilStep: 5) == 0)
  }

  @Test func estimatorDampsOneSlowStep() throws {
    var estimator = ThroughputEstimator(smoothing: 0.9)
    for step in 0...20 { estimator.record(step: step, time: Double(step)) }
    estimator.record(step: 21, time: 31)
    let secondsPerStep = try #require(estimator.secondsPerStep)
    #expect(abs(secondsPerStep - 2) < 1e-9)
  }

  @Test func estimatorHandlesIrregularIntervalsAndRestarts() throws {
    var estimator = ThroughputEstimator(smoothing: 0.5)
    estimator.record(step: 0, time: 0)
    estimator.record(step: 10, tokens: 10_000, time: 5)
    estimator.record(step: 11, tokens: 1000, time: 5.5)
    #expect(try #require(estimator.secondsPerStep) == 0.5)
    #expect(try #require(estimator.tokensPerSecond) == 2000)

    estimator.record(step: 3, time: 100)
    estimator.record(step: 4, time: 100.5)
    #expect(try #require(estimator.secondsPerStep) == 0.5)
    #expect(try #require(estimator.secondsRemaining(untilStep: 6)) == 1)
  }

  @Test func statusLineLayout() {
    let withBar = ProgressDisplay.statusLine(
      step: 310, totalSteps: 1000, barWidth: 10, secondsRemaining: 125, tokensPerSecond: 12_345)
    #expect(withBar == "[===>      ]   31.0%   310/1000  eta 2m05s  12.3k tok/s")
    let plain = ProgressDisplay.statusLine(
      step: 1000, totalSteps: 1000, barWidth: nil, secondsRemaining: nil, tokensPerSecond: nil)
    #expect(plain == "progress  100.0%  1000/1000")
    let full = ProgressDisplay.statusLine(
      step: 5, totalSteps: 5, barWidth: 4, secondsRemaining: 0, tokensPerSecond: 0)
    #expect(full == "[====]  100.0%  5/5  eta 0s")
  }

  @Test func terminalRedrawsInPlace() {
    let output = CapturedOutput()
    let clock = ManualClock()
    let display = ProgressDisplay(
      totalSteps: 4, sink: ConsoleSink(isTerminal: true, write: output.append), barWidth: 4,
      redrawInterval: 0.1, clock: { clock.now })

    display.update(step: 1)
    clock.advance(by: 0.01)
    display.update(step: 2)
    #expect(output.all.count == 1, "updates within the redraw interval are not drawn")

    clock.advance(by: 1)
    display.log("step 2 loss 1.0")
    display.update(step: 3)
    clock.advance(by: 1)
    display.update(step: 4)
    display.finish()
    display.finish()

    let chunks = output.all
    #expect(chunks.count == 5)
    #expect(chunks.allSatisfy { $0.hasPrefix("\r\u{1B}[2K") })
    #expect(chunks[1].hasPrefix("\r\u{1B}[2Kstep 2 loss 1.0\n["))
    #expect(chunks[2].contains("[===>]   75.0%  3/4"))
    #expect(chunks[3].contains("[====]  100.0%  4/4  eta 0s"))
    #expect(!chunks[3].hasSuffix("\n"))
    #expect(chunks[4].hasSuffix("\n"))
  }

  @Test func plainOutputIsThrottled() {
    let output = CapturedOutput()
    let clock = ManualClock()
    let display = ProgressDisplay(
      totalSteps: 100, sink: ConsoleSink(isTerminal: false, write: output.append),
      plainInterval: 30, clock: { clock.now })

    for step in 1...100 {
      clock.advance(by: 1)
      display.update(step: step, tokens: 512)
      if step % 50 == 0 { display.log("log \(step)") }
    }
    display.finish()

    let lines = output.all
    #expect(lines.allSatisfy { $0.hasSuffix("\n") })
    #expect(!lines.contains { $0.contains("\u{1B}") })
    #expect(!lines.contains { $0.contains("\r") })
    let progressLines = lines.filter { $0.hasPrefix("progress") }
    #expect(progressLines.count == 6)
    #expect(progressLines[1] == "progress   31.0%   31/100  eta 1m09s  512 tok/s\n")
    #expect(lines.contains("log 50\n"))
    #expect(lines.last == "progress  100.0%  100/100  eta 0s  512 tok/s\n")
  }
}
