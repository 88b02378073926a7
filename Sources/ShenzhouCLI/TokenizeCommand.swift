import Foundation
import ShenzhouCLIKit
import ShenzhouText

/// `shenzhou tokenize`: prints the WordPiece tokens of each stdin line.
struct TokenizeCommand: Command {
  static let vocab = Option<String?>(
    "vocab", valueName: "path",
    help: "WordPiece vocab.txt. Text is lowercased, accents stripped and CJK characters split.")
  static let model = Option<String?>(
    "model", valueName: "dir",
    help: "Hugging Face model directory with vocab.txt or tokenizer.json, and tokenizer_config.json.")
  static let tokens = Flag("tokens", help: "Print token strings instead of token ids.")
  static let offsets = Flag("offsets", help: "Append the span of each token in its line.")

  static let configuration = CommandConfiguration(
    name: "tokenize",
    abstract: "Split each input line into BERT WordPiece tokens.",
    discussion: """
      Input: UTF-8 text on stdin. Lines end at "\\n" only, and a "\\r" right before it is
      dropped. Every other character (U+2028, U+2029, U+0085, a lone "\\r") is part of
      the line. A line that is not valid UTF-8 stops the command with exit status 1.

      Output: exactly one line for every input line, empty lines included, in input
      order. Without options, the token ids separated by single spaces. [CLS] and [SEP]
      are not added, but [MASK] and other special tokens written in the text are kept.
        --tokens   prints the token strings instead of the ids. In a token, "\\" is
                   written as "\\\\" and a whitespace or control character as \\u{HEX}.
        --offsets  appends a tab and then one START-END pair per token, separated by
                   single spaces: the token's span in the line (the line without its
                   "\\r"), counted in Unicode code points from 0, END exclusive, as
                   Python str indices. A line without tokens prints just the tab.
      Example: "我爱 café" gives "2769 4263 8377" or, with --tokens --offsets,
      "我 爱 cafe<TAB>0-1 1-2 3-7".
      """,
    arguments: [vocab, model, tokens, offsets],
    exclusiveGroups: [ExclusiveGroup(vocab, model, required: true)])

  let vocabPath: String?
  let modelDirectory: String?
  let printTokens: Bool
  let printOffsets: Bool

  init(parsed: ParsedArguments) throws {
    vocabPath = try parsed[Self.vocab]
    modelDirectory = try parsed[Self.model]
    printTokens = try parsed[Self.tokens]
    printOffsets = try parsed[Self.offsets]
  }

  func run() throws {
    let tokenizer: BertTokenizer
    if let vocabPath {
      tokenizer = try BertTokenizer(vocabFile: vocabPath)
    } else if let modelDirectory {
      tokenizer = try BertTokenizer.load(directory: modelDirectory)
    } else {
      throw UsageError("give --vocab or --model")
    }

    var input = StandardInputLines()
    var output: [UInt8] = []
    output.reserveCapacity(1 << 17)
    var lineNumber = 0
    defer { Self.write(&output) }
    while let rawLine = try input.next(beforeBlockingRead: { Self.write(&output) }) {
      lineNumber += 1
      let bytes = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
      guard let line = String(validating: bytes, as: UTF8.self) else {
        throw StandardInputError(
          message: "stdin line \(lineNumber) is not valid UTF-8; convert the input to UTF-8 first")
      }
      append(tokenizer.tokenize(line), tokenizer: tokenizer, to: &output)
      if output.count >= 1 << 16 { Self.write(&output) }
    }
  }

  // MARK: Output

  private func append(_ spans: [TokenSpan], tokenizer: BertTokenizer, to output: inout [UInt8]) {
    for (index, span) in spans.enumerated() {
      if index > 0 { output.append(0x20) }
      if printTokens {
        Self.appendEscaped(span.token, to: &output)
      } else {
        output.append(contentsOf: String(span.id).utf8)
      }
    }
    if printOffsets {
      output.append(0x09)
      for (index, span) in spans.enumerated() {
        if index > 0 { output.append(0x20) }
        output.append(contentsOf: "\(span.start)-\(span.end)".utf8)
      }
    }
    output.append(0x0A)
  }

  /// Appends `token` with backslashes doubled and whitespace and control characters written as
  /// `\u{HEX}`, so that a token can neither split the output line nor look like two tokens.
  private static func appendEscaped(_ token: String, to output: inout [UInt8]) {
    for scalar in token.unicodeScalars {
      if scalar == "\\" {
        output.append(contentsOf: #"\\"#.utf8)
      } else if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
        output.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".utf8)
      } else {
        output.append(contentsOf: String(scalar).utf8)
      }
    }
  }

  private static func write(_ output: inout [UInt8]) {
    guard !output.isEmpty else { return }
    FileHandle.standardOutput.write(Data(output))
    output.removeAll(keepingCapacity: true)
  }
}
