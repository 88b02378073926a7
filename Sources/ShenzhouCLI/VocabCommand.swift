import Foundation
import ShenzhouCLIKit
import ShenzhouModels
import ShenzhouText

/// `shenzhou vocab`: builds a character-level WordPiece vocab.txt from text files.
struct VocabCommand: Command {
  static let corpus = Option<[String]>("corpus", valueName: "file", help: "UTF-8 text files to count.")
  static let output = Option<String>("output", valueName: "file", help: "Where to write vocab.txt.")
  static let minCount = Option<Int>(
    "min-count", default: 1, constraint: .positive, valueName: "n", help: "Drop tokens seen fewer times.")
  static let maxSize = Option<Int>(
    "max-size", default: 21128, constraint: .positive, valueName: "n", unit: "tokens",
    help: "Largest vocabulary, special tokens included.")
  static let stripTags = Flag("strip-pos-tags", help: "Drop /tag suffixes of pre-segmented input such as 迈向/v.")

  static let configuration = CommandConfiguration(
    name: "vocab",
    abstract: "Build a character-level WordPiece vocabulary from a corpus.",
    discussion: """
      Output: vocab.txt with [PAD], [UNK], [CLS], [SEP], [MASK] first, then every CJK
      character and punctuation mark, and for Latin words their first characters and
      ##-continuations, by descending count. Text is lowercased.
      """,
    arguments: [corpus, output, minCount, maxSize, stripTags])

  let corpus: [String]
  let output: String
  let minCount: Int
  let maxSize: Int
  let stripTags: Bool

  init(parsed: ParsedArguments) throws {
    corpus = try parsed[Self.corpus]
    output = try parsed[Self.output]
    minCount = try parsed[Self.minCount]
    maxSize = try parsed[Self.maxSize]
    stripTags = try parsed[Self.stripTags]
  }

  func validate() throws {
    if output.isEmpty { throw UsageError("--output must name a file") }
    if maxSize <= VocabularyBuilder.specialTokens.count {
      throw UsageError("--max-size must exceed the \(VocabularyBuilder.specialTokens.count) special tokens")
    }
  }

  func run() throws {
    var builder = VocabularyBuilder(stripsPartOfSpeechTags: stripTags)
    for path in corpus {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
        let data = FileManager.default.contents(atPath: path)
      else {
        throw VocabError(message: "cannot read --corpus \(path): it is missing, a directory or unreadable")
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        throw VocabError(message: "\(path) is not valid UTF-8; convert it to UTF-8 first")
      }
      text.enumerateLines { line, _ in builder.add(line: line) }
    }
    let tokens = builder.vocabulary(minCount: minCount, maxSize: maxSize)
    try AtomicFile.write(tokens.joined(separator: "\n") + "\n", to: output)
    print("wrote \(tokens.count) tokens to \(output)")
  }
}

/// An input file that `vocab` or `convert` cannot read (a runtime failure, exit status 1).
struct VocabError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
