import Foundation
import Testing

@testable import ShenzhouReporting

@Suite struct StepLogFormatterTests {
  private let formatter = StepLogFormatter(totalSteps: 100_000, objectives: ["mlm", "sop"])

  @Test func typicalLine() {
    let line = formatter.format(
      StepLogEntry(
        step: 1200, losses: [("mlm", 2.45312), ("sop", 0.6931)], learningRate: 1e-4,
        gradientNorm: 1.2345, tokensPerSecond: 12_345, millisecondsPerStep: 245.06,
        secondsRemaining: 24_250))
    #expect(line == "step   1200/100000  mlm    2.4531  sop    0.6931  lr 1.00e-04  gnorm    1.235   12.3k tok/s    245.1 ms/step  eta  6h44m")
  }

  @Test func columnsKeepTheirPositions() {
    let entries = [
      StepLogEntry(step: 1, losses: [("mlm", 11.2), ("sop", 0.7)], learningRate: 0, gradientNorm: 150,
                   tokensPerSecond: 950, millisecondsPerStep: 12_000, secondsRemaining: 900_000),
      StepLogEntry(step: 99_999, losses: [("mlm", .nan), ("sop", -0.25)], learningRate: 5e-5,
                   gradientNorm: .infinity, tokensPerSecond: 1.5e6, millisecondsPerStep: 3.25,
                   secondsRemaining: 1),
      StepLogEntry(step: 500, losses: [("mlm", 1_234_567), ("sop", 1e-9)], learningRate: nil,
                   gradientNorm: 0.00002, tokensPerSecond: nil, millisecondsPerStep: 99_999_999,
                   secondsRemaining: nil),
      StepLogEntry(step: 7, losses: [("sop", 2)]),
    ]
    let lines = entries.map(formatter.format)
    let firstLength = lines[0].count
    for line in lines {
      #expect(line.count == firstLength, "\(line)")
      #expect(labelOffsets(line) == labelOffsets(lines[0]), "\(line)")
    }
    #expect(lines[1].contains("mlm       nan"))
    #expect(lines[2].contains("mlm 1234567.0"))
    #expect(lines[2].contains("sop  1.00e-09"))
    #expect(lines[2].contains("gnorm 2.00e-05"))
    #expect(lines[2].contains(" 1.0e+08 ms/step"))
    #expect(lines[3].contains("mlm         -"))
  }

  @Test func selectedColumnsOnly() {
    let short = StepLogFormatter(totalSteps: nil, objectives: ["loss"], columns: [.learningRate])
    let line = short.format(StepLogEntry(step: 42, losses: [("loss", 3.14159)], learningRate: 2e-5))
    #expect(line == "step     42  loss    3.1416  lr 2.00e-05")
  }

  @Test func fittedFallsBackToExponent() {
    #expect(StepLogFormatter.fitted(3.14159, width: 8, maximumDecimals: 3) == "   3.142")
    #expect(StepLogFormatter.fitted(123_456.7, width: 8, maximumDecimals: 3) == "123456.7")
    #expect(StepLogFormatter.fitted(-12_345_678, width: 8, maximumDecimals: 3) == "-1.2e+07")
    #expect(StepLogFormatter.fitted(0, width: 6, maximumDecimals: 2) == "  0.00")
    #expect(StepLogFormatter.fitted(nil, width: 4, maximumDecimals: 2) == "   -")
  }

  /// Returns the character offset of each column label in `line`.
  private func labelOffsets(_ line: String) -> [Int?] {
    ["step", "mlm", "sop", "lr ", "gnorm", "tok/s", "ms/step", "eta"].map { label in
      line.range(of: label).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
    }
  }
}
