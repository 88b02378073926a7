import Foundation
import ShenzhouText
import Testing

@testable import ShenzhouData

@Suite struct WordStartParityTests {
  static let python = ProcessInfo.processInfo.environment["SHENZHOU_PYTHON"] ?? TestPaths.repositoryRoot + "/.venv/bin/python"
  static let jiebaFolder = TestPaths.repositoryRoot + "/.deps/jieba"
  static var isAvailable: Bool {
    TestPaths.hasCorpus && FileManager.default.isExecutableFile(atPath: python)
      && FileManager.default.fileExists(atPath: jiebaFolder + "/dict.txt")
  }

  /// Compares token ids and word-start flags with transformers 5's BertTokenizer (the Rust tokenizers
  /// backend) plus Python jieba
  /// on the sentences of the first 300 corpus documents.
  @Test(.enabled(if: isAvailable, "needs ../shared/data, .venv with transformers and jieba, and .deps/jieba from scripts/setup"))
  func wordStartsMatchTransformersAndJieba() throws {
    let segmenter = try ChineseSegmenter.load(dictionary: Self.jiebaFolder + "/dict.txt", hmm: Self.jiebaFolder + "/hmm.txt")
    let encoder = try BertPretrainingEncoder.load(vocabularyFile: TestPaths.vocabulary, segmenter: segmenter)
    let documents = try String(contentsOfFile: TestPaths.clueCorpus, encoding: .utf8)
      .split(separator: "\n").prefix(300)
    var sentences: [String] = []
    for document in documents {
      let scalars = Array(document.unicodeScalars)
      for range in SentenceSplitter.sentenceRanges(in: scalars) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        sentences.append(String(view))
      }
    }
    let directory = try TemporaryDirectory()
    let lines = try sentences.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    let input = try directory.write("sentences.jsonl", text: lines.joined(separator: "\n") + "\n")
    let script = TestPaths.repositoryRoot + "/Tests/Support/word_starts_reference.py"
    let output = try ProcessRunner.run([Self.python, script, TestPaths.vocabulary, input])
    let references = String(decoding: output, as: UTF8.self).split(separator: "\n")
    try #require(references.count == sentences.count)

    struct Reference: Decodable {
      var ids: [Int32]
      var starts: [Bool]
    }
    var mismatches: [String] = []
    var continuations = 0
    for (sentence, line) in zip(sentences, references) {
      let reference = try JSONDecoder().decode(Reference.self, from: Data(line.utf8))
      let encoded = try encoder.encode(sentence: sentence, words: nil)
      continuations += encoded.wordStarts.filter { !$0 }.count
      if encoded.tokenIDs != reference.ids || encoded.wordStarts != reference.starts {
        mismatches.append(sentence)
      }
    }
    #expect(mismatches.count == 0, "first mismatches: \(mismatches.prefix(3))")
    #expect(sentences.count > 2_000)
    #expect(continuations > 10_000)
  }
}
