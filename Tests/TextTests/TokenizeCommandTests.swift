import Foundation
import Testing

@testable import ShenzhouText

/// Input lines for `shenzhou tokenize`, written with the line break that ends each of them.
let commandInput: [(line: String, ending: String)] = [
  ("我爱北京天安门", "\r\n"),
  ("", "\n"),
  ("  ", "\n"),
  ("\r", "\n"),
  ("x\ry", "\n"),
  ("line\u{2028}separator\u{2029}paragraph\u{85}next", "\n"),
  ("[MASK]是[mask]吗？", "\n"),
  ("Café e\u{301}cole ΟΔΟΣ", "\r\n"),
  ("👍🏽👨‍👩‍👧🇨🇳 \u{20000}", "\n"),
  ("nul\u{0}inside\u{FEFF}bom", "\n"),
  ("back\\slash \u{3000}ideographic space", "\n"),
  (String(repeating: "长", count: 300) + String(repeating: "w", count: 120), "\n"),
  ("", "\r\n"),
  ("no newline at the end", ""),
]

/// The lines that the command tokenizes: without "\n" and without a "\r" right before it.
let commandLines: [String] = commandInput.map { entry in
  var raw = entry.line + (entry.ending == "\r\n" ? "\r" : "")
  if raw.unicodeScalars.last == "\r" { raw.unicodeScalars.removeLast() }
  return raw
}

func runTokenize(_ arguments: [String], input: Data) throws -> (status: Int32, lines: [String], stderr: String) {
  let result = try runProcess(TestPaths.shenzhouBinary, ["tokenize"] + arguments, input: input)
  var bytes = [UInt8](result.stdout)
  if bytes.last == 0x0A { bytes.removeLast() }
  let lines =
    result.stdout.isEmpty
    ? [] : bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
  return (result.status, lines, result.stderr)
}

/// Writes a token the way `--tokens` does: backslash doubled, whitespace as `\u{HEX}`.
func escapedToken(_ token: String) -> String {
  var text = ""
  for scalar in token.unicodeScalars {
    if scalar == "\\" {
      text += "\\\\"
    } else if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
      text += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
    } else {
      text.unicodeScalars.append(scalar)
    }
  }
  return text
}

@Suite(
  .enabled(if: TestPaths.hasBinary, "needs the shenzhou binary; run swift build first"),
  .enabled(if: TestPaths.hasReference, "needs ../shared/data/vocab and .venv with transformers"))
struct TokenizeCommandTests {
  var inputData: Data {
    Data(commandInput.map { $0.line + $0.ending }.joined().utf8)
  }

  @Test func outputMatchesFastTokenizer() throws {
    var request = ReferenceRequest()
    request.texts = commandLines
    let reference = try Reference.run(request)

    let ids = try runTokenize(["--vocab", TestPaths.vocab], input: inputData)
    let tokens = try runTokenize(["--vocab", TestPaths.vocab, "--tokens", "--offsets"], input: inputData)
    #expect(ids.status == 0, "stderr: \(ids.stderr)")
    #expect(tokens.status == 0, "stderr: \(tokens.stderr)")
    #expect(ids.lines.count == commandInput.count, "one output line per input line")
    #expect(tokens.lines.count == commandInput.count, "one output line per input line")
    for (index, expected) in reference.tokens.enumerated() where index < ids.lines.count && index < tokens.lines.count {
      let label = "line \(index + 1) \(commandLines[index].debugDescription)"
      #expect(ids.lines[index] == expected.ids.map(String.init).joined(separator: " "), "ids, \(label)")
      let spans = expected.offsets.map { "\($0[0])-\($0[1])" }.joined(separator: " ")
      let tokenText = expected.tokens.map(escapedToken).joined(separator: " ")
      #expect(tokens.lines[index] == tokenText + "\t" + spans, "tokens and offsets, \(label)")
    }
  }

  @Test func modelDirectoryMatchesVocabFile() throws {
    let directory = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(
      atPath: TestPaths.vocab, toPath: directory.appendingPathComponent("vocab.txt").path)
    let fromModel = try runTokenize(["--model", directory.path, "--offsets"], input: inputData)
    let fromVocab = try runTokenize(["--vocab", TestPaths.vocab, "--offsets"], input: inputData)
    #expect(fromModel.status == 0, "stderr: \(fromModel.stderr)")
    #expect(fromModel.lines == fromVocab.lines)
  }

  @Test func invalidUTF8StopsWithLineNumber() throws {
    var input = Data("好\n".utf8)
    input.append(contentsOf: [0x61, 0xFF, 0x62, 0x0A])
    input.append(Data("never printed\n".utf8))
    let result = try runTokenize(["--vocab", TestPaths.vocab], input: input)
    #expect(result.status == 1)
    #expect(result.lines == ["1962"])
    #expect(result.stderr.contains("stdin line 2 is not valid UTF-8"))
  }

  @Test func emptyInputPrintsNothing() throws {
    let result = try runTokenize(["--vocab", TestPaths.vocab], input: Data())
    #expect(result.status == 0)
    #expect(result.lines.isEmpty)
  }

  @Test func usageErrors() throws {
    let neither = try runTokenize([], input: Data())
    #expect(neither.status == 2)
    #expect(neither.stderr.contains("--vocab"))
    let both = try runTokenize(["--vocab", TestPaths.vocab, "--model", "/tmp"], input: Data())
    #expect(both.status == 2)
    let missing = try runTokenize(["--model", "/nonexistent/shenzhou-model"], input: Data("x\n".utf8))
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("/nonexistent/shenzhou-model"))
  }

  @Test func helpDocumentsFormat() throws {
    let result = try runProcess(TestPaths.shenzhouBinary, ["tokenize", "--help"], input: Data())
    let help = String(decoding: result.stdout, as: UTF8.self)
    #expect(result.status == 0)
    #expect(help.contains("--offsets"))
    #expect(help.contains("START-END"))
    #expect(help.contains("exactly one line for every input line"))
  }
}
