// Throughput benchmark of the shenzhou BERT tokenizer. scripts/bench-tokenizer compiles it together
// with Sources/ShenzhouText/Tokenizer into one optimized executable, so it needs no libtorch.
// Usage: TokenizerBenchmark VOCAB_FILE CORPUS_FILE ROUNDS
// Prints one line per measurement: `name<TAB>scalars per second<TAB>tokens`.

import Foundation

@main
enum TokenizerBenchmark {
  static func main() throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 4, let rounds = Int(arguments[3]), rounds > 0 else {
      FileHandle.standardError.write(Data("usage: TokenizerBenchmark VOCAB_FILE CORPUS_FILE ROUNDS\n".utf8))
      exit(2)
    }
    let tokenizer = try BertTokenizer(vocabFile: arguments[1])
    let text = try String(contentsOfFile: arguments[2], encoding: .utf8)
    // Lines end at "\n" only, as on the Python side, and both sides skip empty lines.
    let lines = text.utf8.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    let scalarCount = lines.reduce(0) { $0 + $1.unicodeScalars.count }

    try measure("encode-batch", scalars: scalarCount, rounds: rounds) {
      let encodings = try tokenizer.encodeBatch(lines)
      return encodings.reduce(0) { $0 + $1.count }
    }
    measure("token-ids", scalars: scalarCount, rounds: rounds) {
      var total = 0
      for line in lines { total += tokenizer.tokenIDs(line).count }
      return total
    }
  }

  /// Runs `body` once to warm up, then `rounds` times, and prints the best rate.
  static func measure(_ name: String, scalars: Int, rounds: Int, _ body: () throws -> Int) rethrows {
    var tokens = try body()
    var best = Double.infinity
    for _ in 0..<rounds {
      let start = DispatchTime.now().uptimeNanoseconds
      tokens = try body()
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      best = min(best, seconds)
    }
    print("\(name)\t\(Double(scalars) / best)\t\(tokens)")
  }
}
