// Segments text files with ChineseSegmenter and measures single-thread speed.
//
//   ShenzhouSegBench [--dictionary PATH] [--hmm PATH] [--user-dictionary PATH] [--repeat N]
//                    [--output-dir DIR] FILE...
//
// For each FILE (UTF-8, one sentence per line) it writes DIR/NAME.seg with the words of each
// line separated by two spaces, whitespace words left out, and prints one line per file:
//   file=NAME lines=L chars=C seconds=S chars-per-second=R
// where S is the best of N timed passes over the lines. Load time is printed first.

import Foundation
import ShenzhouText

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct BenchOptions {
  var dictionary: String?
  var hmm: String?
  var userDictionary: String?
  var repeats = 5
  var outputDirectory: String?
  var files: [String] = []
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data(("ShenzhouSegBench: " + message + "\n").utf8))
  exit(2)
}

func parseOptions() -> BenchOptions {
  var options = BenchOptions()
  var arguments = CommandLine.arguments.dropFirst()
  while let argument = arguments.popFirst() {
    func value() -> String {
      guard let next = arguments.popFirst() else { fail("\(argument) needs a value") }
      return next
    }
    switch argument {
    case "--dictionary": options.dictionary = value()
    case "--hmm": options.hmm = value()
    case "--user-dictionary": options.userDictionary = value()
    case "--output-dir": options.outputDirectory = value()
    case "--repeat":
      let text = value()
      guard let count = Int(text), count > 0 else { fail("--repeat needs a positive integer, got \(text)") }
      options.repeats = count
    default:
      if argument.hasPrefix("--") { fail("unknown option \(argument)") }
      options.files.append(argument)
    }
  }
  if options.files.isEmpty { fail("no input files; pass one or more UTF-8 text files") }
  return options
}

func seconds(since start: ContinuousClock.Instant) -> Double {
  let elapsed = ContinuousClock.now - start
  return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

let options = parseOptions()
let loadStart = ContinuousClock.now
var segmenter: ChineseSegmenter
do {
  segmenter = try ChineseSegmenter.load(dictionary: options.dictionary, hmm: options.hmm)
  if let path = options.userDictionary { try segmenter.loadUserDictionary(path: path) }
} catch {
  fail("\(error)")
}
print(String(format: "load seconds=%.3f words=%d", seconds(since: loadStart), segmenter.dictionaryWordCount))

for file in options.files {
  guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
  // Split bytes, not Characters, because Swift treats "\r\n" as one Character.
  var lines: [String] = []
  for line in [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false) {
    let content = line.last == 0x0D ? line.dropLast() : line[...]
    guard let text = String(validating: content, as: UTF8.self) else {
      fail("\(file):\(lines.count + 1): invalid UTF-8")
    }
    lines.append(text)
  }
  if lines.last == "" { lines.removeLast() }
  let scalarLines = lines.map { $0.unicodeScalars.map(\.value) }
  let characters = scalarLines.reduce(0) { $0 + $1.count }

  var best = Double.infinity
  var checksum = 0
  for _ in 0..<options.repeats {
    let start = ContinuousClock.now
    for line in lines {
      checksum &+= segmenter.cut(line).count
    }
    best = min(best, seconds(since: start))
  }

  let name = URL(fileURLWithPath: file).lastPathComponent
  if let directory = options.outputDirectory {
    var output = ""
    for (line, scalars) in zip(lines, scalarLines) {
      let unicode = Array(line.unicodeScalars)
      var words: [String] = []
      for range in segmenter.cut(scalars: scalars) {
        var word = String.UnicodeScalarView()
        word.append(contentsOf: unicode[range])
        if word.allSatisfy(\.properties.isWhitespace) { continue }
        words.append(String(word))
      }
      output += words.joined(separator: "  ") + "\n"
    }
    let url = URL(fileURLWithPath: directory).appendingPathComponent(name + ".seg")
    do {
      try Data(output.utf8).write(to: url, options: .atomic)
    } catch {
      fail("cannot write \(url.path): \(error)")
    }
  }
  let rate = Double(characters) / best
  let timing = String(format: "seconds=%.4f chars-per-second=%.0f", best, rate)
  print("file=\(name) lines=\(lines.count) chars=\(characters) \(timing) words=\(checksum / options.repeats)")
}
