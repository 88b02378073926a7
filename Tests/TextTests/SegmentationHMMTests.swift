import Foundation
import Testing

@testable import ShenzhouText

@Suite("Segmentation HMM")
struct SegmentationHMMTests {
  static func hmmWords(_ model: SegmentationHMM, _ text: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    let values = scalars.map(\.value)
    var ranges: [Range<Int>] = []
    values.withUnsafeBufferPointer { buffer in
      model.cut(buffer, 0..<buffer.count, into: &ranges)
    }
    return ranges.map { range in
      var word = String.UnicodeScalarView()
      word.append(contentsOf: scalars[range])
      return String(word)
    }
  }

  static func parse(_ text: String, path: String = "test.hmm") throws(SegmentationError)
    -> SegmentationHMM
  {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer throws(SegmentationError) in
      try SegmentationHMM.parse(buffer, path: path)
    }
  }

  static let names = ["王小明", "韩冰冰说", "欧阳娜娜", "李晓燕在北京大学读书", "习近平", "杨过和小龙女", "张伟来了"]

  @Test(
    "jieba model joins unknown names",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData))
  func unknownNames() throws {
    let model = try SegmentationFixtures.loadedSegmenter().model
    #expect(Self.hmmWords(model, "王小明") == ["王小明"])
    #expect(Self.hmmWords(model, "韩冰冰说") == ["韩冰冰", "说"])
    #expect(Self.hmmWords(model, "欧阳娜娜") == ["欧阳娜娜"])
    #expect(Self.hmmWords(model, "李晓燕在北京大学读书") == ["李晓燕", "在", "北京大学", "读书"])
    #expect(Self.hmmWords(model, "一") == ["一"])
  }

  @Test(
    "jieba model matches finalseg.cut",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData),
    .enabled(if: SegmentationFixtures.hasPython, SegmentationFixtures.missingPython))
  func finalsegParity() throws {
    let model = try SegmentationFixtures.loadedSegmenter().model
    // Han-only strings, including characters the emission tables lack (U+9FD5 and U+9FA6...),
    // where the missing score decides and ties must break as in jieba.
    let inputs = Self.names + ["鿕鿕鿕", "龘龘王小明鿕", "的的的的的的", "诸葛亮借东风", "阿里巴巴集团"]
    let script = """
      import json, sys
      from jieba import finalseg
      json.dump([list(finalseg.cut(s)) for s in json.load(sys.stdin)], sys.stdout)
      """
    let output = try SegmentationFixtures.runPython(
      script, input: JSONSerialization.data(withJSONObject: inputs))
    let expected = try JSONDecoder().decode([[String]].self, from: output)
    #expect(expected.count == inputs.count)
    for (input, words) in zip(inputs, expected) {
      #expect(Self.hmmWords(model, input) == words, "HMM words of \(input)")
    }
  }

  @Test("hand-made model follows emissions")
  func handMadeModel() throws {
    let model = try Self.parse(
      """
      # B on 甲, E on 乙, S on 丙
      shenzhou-segmentation-hmm 1
      start B -0.5
      start E -100
      start M -100
      start S -0.9
      transition B E -0.1
      transition B M -3
      transition E B -0.7
      transition E S -0.7
      transition M E -0.3
      transition M M -1.2
      transition S B -0.7
      transition S S -0.7
      emission B U+7532 -0.1
      emission E U+4E59 -0.1
      emission S U+4E19 -0.1
      emission S U+FF01 -0.1
      """)
    #expect(Self.hmmWords(model, "甲乙丙") == ["甲乙", "丙"])
    #expect(Self.hmmWords(model, "丙甲乙") == ["丙", "甲乙"])
    #expect(model.missingScore == SegmentationHMM.jiebaMissingScore)
  }

  @Test("invalid model files name the line")
  func invalidModels() {
    let header = "shenzhou-segmentation-hmm 1\n"
    let starts = "start B -1\nstart E -1\nstart M -1\nstart S -1\n"
    let cases: [(String, Int, String)] = [
      ("start B -1\n", 1, "header"),
      ("shenzhou-segmentation-hmm 2\n", 1, "version"),
      (header + "start X -1\n", 2, "state"),
      (header + "start B nan\n", 2, "value"),
      (header + "start B -1\nstart B -2\n", 3, "entry"),
      (header + starts + "transition B -1\n", 6, "entry"),
      (header + starts + "emission B 4E00 -1\n", 6, "character"),
      (header + starts + "emission B U+4E00 -1\nemission B U+4E00 -2\n", 7, "entry"),
      (header + starts + "emit B U+4E00 -1\n", 6, "entry"),
      (header + starts + "missing -5\n", 6, "entry"),
    ]
    for (text, line, field) in cases {
      do {
        _ = try Self.parse(text)
        Issue.record("accepted invalid model: \(text)")
      } catch {
        guard case .invalidLine(let path, let errorLine, let errorField, _) = error else {
          Issue.record("unexpected error \(error) for \(text)")
          continue
        }
        #expect(path == "test.hmm")
        #expect(errorLine == line, "line for \(text)")
        #expect(errorField == field, "field for \(text)")
      }
    }
    #expect(throws: SegmentationError.self) { try Self.parse(header + "start B -1\n") }
    #expect(throws: SegmentationError.self) { try Self.parse("# only a comment\n") }
  }
}
