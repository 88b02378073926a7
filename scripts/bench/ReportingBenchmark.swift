// Throughput benchmark of ShenzhouReporting. scripts/bench-reporting compiles it together with
// Sources/ShenzhouReporting into one optimized executable.
// Usage: ReportingBenchmark OUTPUT_FOLDER ROUNDS
// Prints one line per measurement: `name<TAB>rate<TAB>unit`, the best of ROUNDS runs.

import Foundation

@main
enum ReportingBenchmark {
  static func main() throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 3, let rounds = Int(arguments[2]), rounds > 0 else {
      FileHandle.standardError.write(Data("usage: ReportingBenchmark OUTPUT_FOLDER ROUNDS\n".utf8))
      exit(2)
    }
    let folder = URL(fileURLWithPath: arguments[1], isDirectory: true)

    let bytes = (0..<(16 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    measure("crc32c", units: Double(bytes.count) / 1e6, unit: "MB/s", rounds: rounds) {
      _ = CRC32C.checksum(bytes)
    }

    let scalarCount = 200_000
    try measure("tensorboard-add-scalar", units: Double(scalarCount), unit: "scalars/s", rounds: rounds) {
      let writer = try TensorBoardWriter(directory: folder.appendingPathComponent("tensorboard"))
      for step in 0..<scalarCount {
        try writer.addScalar(tag: "loss/mlm", value: 1 / Double(step + 1), step: step, wallTime: 1.7e9)
      }
      try writer.flush()
      writer.close()
    }

    let lineCount = 100_000
    try measure("jsonl-append", units: Double(lineCount), unit: "lines/s", rounds: rounds) {
      let url = folder.appendingPathComponent("metrics.jsonl")
      try? FileManager.default.removeItem(at: url)
      let writer = try JSONLinesMetricsWriter(fileURL: url)
      for step in 0..<lineCount {
        try writer.append(
          step: step, wallTime: 1.7e9 + Double(step),
          metrics: [("loss/mlm", 2.5), ("loss/sop", 0.69), ("lr", 1e-4), ("grad_norm", 1.25)])
      }
      writer.close()
    }

    try measure("jsonl-resume-scan", units: Double(lineCount), unit: "lines/s", rounds: rounds) {
      let writer = try JSONLinesMetricsWriter(
        fileURL: folder.appendingPathComponent("metrics.jsonl"), resumingAfterStep: Int.max)
      writer.close()
    }

    let pointCount = 100_000
    let series = ["mlm", "sop", "kl"].enumerated().map { index, name in
      (name: name, points: (0..<pointCount).map { step in
        (Double(step), Double(3 - index) * exp(-Double(step) / 30_000) + sin(Double(step)) * 0.05)
      })
    }
    measure("svg-render-3x100k-points", units: 1, unit: "charts/s", rounds: rounds) {
      _ = renderLossCurves(series: series, title: "loss", options: LossCurveOptions(smoothing: 0.9))
    }

    let formatter = StepLogFormatter(totalSteps: 1_000_000, objectives: ["mlm", "sop"])
    let formatCount = 100_000
    measure("step-log-format", units: Double(formatCount), unit: "lines/s", rounds: rounds) {
      var total = 0
      for step in 0..<formatCount {
        let entry = StepLogEntry(
          step: step, losses: [("mlm", 2.4531), ("sop", 0.6931)], learningRate: 1e-4,
          gradientNorm: 1.23, tokensPerSecond: 12_345, millisecondsPerStep: 245.1,
          secondsRemaining: 3600)
        total += formatter.format(entry).utf8.count
      }
      if total == 0 { print("unexpected empty output") }
    }
  }

  /// Runs `body` once to warm up, then `rounds` times, and prints the best rate.
  static func measure(
    _ name: String, units: Double, unit: String, rounds: Int, _ body: () throws -> Void
  ) rethrows {
    try body()
    var best = Double.infinity
    for _ in 0..<rounds {
      let start = DispatchTime.now().uptimeNanoseconds
      try body()
      best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    print("\(name)\t\(String(format: "%.1f", units / best))\t\(unit)")
  }
}
