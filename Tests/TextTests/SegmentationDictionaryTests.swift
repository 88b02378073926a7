import Foundation
import Testing

@testable import ShenzhouText

@Suite("Segmentation dictionary loading")
struct SegmentationDictionaryTests {
  static func dictionary(_ bytes: [UInt8], path: String = "test.dict") throws(SegmentationError)
    -> PrefixDictionary
  {
    let words = try bytes.withUnsafeBufferPointer { buffer throws(SegmentationError) in
      try PrefixDictionary.parseWordList(buffer, path: path)
    }
    return PrefixDictionary.build(words)
  }

  static func frequency(_ dictionary: PrefixDictionary, _ word: String) -> Int64? {
    let node = dictionary.node(for: word.unicodeScalars.map(\.value))
    return node < 0 ? nil : dictionary.frequency(node)
  }

  @Test("jieba format with repeats and prefixes")
  func parsesJiebaFormat() throws {
    let text = "\u{FEFF}北京 100 ns\n大学 50\n\n北京大学 20 nt extra\r\n北京 10\n𠀀字 3"
    let dictionary = try Self.dictionary(Array(text.utf8))
    #expect(dictionary.total == 183)
    #expect(dictionary.wordCount == 4)
    #expect(Self.frequency(dictionary, "北京") == 10)
    #expect(Self.frequency(dictionary, "大学") == 50)
    #expect(Self.frequency(dictionary, "北京大学") == 20)
    #expect(Self.frequency(dictionary, "𠀀字") == 3)
    #expect(Self.frequency(dictionary, "北") == 0)
    #expect(Self.frequency(dictionary, "北京大") == 0)
    #expect(Self.frequency(dictionary, "𠀀") == 0)
    #expect(Self.frequency(dictionary, "京") == nil)
    #expect(Self.frequency(dictionary, "北京大学生") == nil)
  }

  @Test("invalid dictionary lines name line and field")
  func invalidLines() {
    let cases: [([UInt8], Int, String?)] = [
      (Array("北京 100\n词\n".utf8), 2, "frequency"),
      (Array("词 abc\n".utf8), 1, "frequency"),
      (Array("词 -5\n".utf8), 1, "frequency"),
      (Array("词  5\n".utf8), 1, "frequency"),
      (Array("词 99999999999999999999\n".utf8), 1, "frequency"),
      (Array("a 9223372036854775807\nb 1\n".utf8), 2, "frequency"),
      (Array("北京 100\n".utf8) + [0xE4, 0xB8, 0x20, 0x31, 0x0A], 2, nil),
    ]
    for (bytes, line, field) in cases {
      do {
        _ = try Self.dictionary(bytes)
        Issue.record("accepted invalid dictionary \(bytes)")
      } catch {
        switch error {
        case .invalidLine(let path, let errorLine, let errorField, _):
          #expect(path == "test.dict")
          #expect(errorLine == line)
          #expect(errorField == field)
        case .invalidUTF8(let path, let errorLine):
          #expect(path == "test.dict")
          #expect(errorLine == line)
          #expect(field == nil)
        default:
          Issue.record("unexpected error \(error)")
        }
      }
    }
  }

  @Test("missing files are reported")
  func missingFiles() {
    #expect(throws: SegmentationError.self) {
      try ChineseSegmenter.load(dictionary: "/nonexistent/dict.txt", hmm: "/nonexistent/hmm.txt")
    }
    let error = SegmentationError.defaultDataNotFound(file: "dict.txt", searched: ["/a/.deps/jieba"])
    #expect(error.description.contains("scripts/setup"))
  }

  @Test(
    "default data is found from the test binary",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData))
  func defaultData() throws {
    let segmenter = try ChineseSegmenter.load()
    #expect(segmenter.dictionaryWordCount > 340_000)
    #expect(segmenter.total == 60_101_967)
  }

  @Test("small dictionary segments with its own words")
  func customDictionary() throws {
    let dictionaryPath = try SegmentationFixtures.temporaryFile("研究 10\n研究生 5\n生命 10\n命 2\n起源 10\n", name: "small.dict")
    let hmmPath = try SegmentationFixtures.temporaryFile(
      "shenzhou-segmentation-hmm 1\nstart B -0.3\nstart E -100\nstart M -100\nstart S -1.4\n",
      name: "small.hmm")
    let segmenter = try ChineseSegmenter.load(dictionary: dictionaryPath, hmm: hmmPath)
    #expect(segmenter.words(in: "研究生命起源") == ["研究", "生命", "起源"])
  }
}
