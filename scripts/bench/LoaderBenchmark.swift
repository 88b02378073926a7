// Throughput benchmark of the pretraining loader. scripts/bench-prepare compiles it against
// optimized ShenzhouText and ShenzhouData libraries, so it needs no libtorch.
// Usage: LoaderBenchmark CORPUS_DIRECTORY BATCHES
// Prints one line per masking strategy and prefetch setting: batches and tokens per second for
// batches of 32 sequences of 512 tokens, and the time to build the packing plan.

import Foundation
import ShenzhouData

@main
enum LoaderBenchmark {
  static func main() throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 3, let batches = Int(arguments[2]), batches > 0 else {
      FileHandle.standardError.write(Data("usage: LoaderBenchmark CORPUS_DIRECTORY BATCHES\n".utf8))
      exit(2)
    }
    let corpus = try PretrainingCorpus(directory: arguments[1])
    let strategies: [(String, MaskingStrategy)] = [
      ("token", .token), ("whole-word", .wholeWord), ("span", .span(p: 0.2, maxLength: 10)),
    ]
    print("| masking | prefetch | plan s | batches/s | Mtokens/s |")
    print("|---|---:|---:|---:|---:|")
    for (name, strategy) in strategies {
      for prefetch in [0, 4] {
        let configuration = LoaderConfiguration(
          packing: PackingConfiguration(maxSequenceLength: 512), masking: MaskingConfiguration(strategy: strategy),
          batchSize: 32, seed: 1, prefetchBatches: prefetch)
        let planStart = Date()
        let loader = try PretrainingLoader(corpus: corpus, configuration: configuration)
        let planSeconds = Date().timeIntervalSince(planStart)
        let start = Date()
        var count = 0
        while count < batches, loader.next() != nil {
          count += 1
        }
        let seconds = Date().timeIntervalSince(start)
        let rate = Double(count) / seconds
        print(
          "| \(name) | \(prefetch) | \(String(format: "%.3f", planSeconds)) | \(String(format: "%.0f", rate)) | "
            + "\(String(format: "%.1f", rate * 32 * 512 / 1e6)) |")
      }
    }
  }
}
