import Foundation
import Testing

@testable import ShenzhouText

@Suite(
  "Segmentation user dictionary",
  .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData))
struct SegmentationUserDictionaryTests {
  static let sentences: [String] = [
    "李小福是创新办主任也是云计算方面的专家",
    "网易杭研大厦在杭州，台中的凱特琳喜欢石墨烯",
    "中国人民站起来了，中国的中国话",
    "hello world 10 and Hello World are here",
    "我们在云计算平台上研究石墨烯和超导体",
    "今天天气不错，挺风和日丽的",
  ]

  static let userDictionaryText = "\u{FEFF}创新办 3 i\n云计算 5\n凱特琳 nz\n台中\n\n  石墨烯  \n"
    + "hello world 10\nHello World 10 n\n风和日丽 0\n超导体 n\n"

  @Test("add(word:) joins the word")
  func addJoinsWord() throws {
    var segmenter = try SegmentationFixtures.loadedSegmenter()
    #expect(!segmenter.words(in: "网易杭研大厦").contains("网易杭研"))
    try segmenter.add(word: "网易杭研")
    #expect(segmenter.words(in: "网易杭研大厦") == ["网易杭研", "大厦"])
  }

  @Test("add(word:) leaves copies unchanged")
  func addKeepsValueSemantics() throws {
    let original = try SegmentationFixtures.loadedSegmenter()
    var changed = original
    try changed.add(word: "网易杭研", freq: 100)
    #expect(changed.total == original.total + 100)
    #expect(original.words(in: "网易杭研大厦") == ["网易", "杭研", "大厦"])
    #expect(changed.words(in: "网易杭研大厦") == ["网易杭研", "大厦"])
  }

  @Test("frequency 0 splits a word")
  func zeroFrequencySplits() throws {
    var segmenter = try SegmentationFixtures.loadedSegmenter()
    #expect(segmenter.words(in: "中国人民") == ["中国", "人民"])
    try segmenter.add(word: "中国", freq: 0)
    #expect(!segmenter.words(in: "中国人民").contains("中国"))
  }

  @Test(
    "added words match jieba.add_word",
    .enabled(if: SegmentationFixtures.hasPython, SegmentationFixtures.missingPython))
  func addedWordsParity() throws {
    let userWords: [(String, Int?)] = [
      ("网易杭研", nil), ("创新办", 3), ("云计算平台", nil), ("中国", 0), ("风和日丽", 0),
      ("风和日丽", 20000), ("石墨烯", nil),
    ]
    var segmenter = try SegmentationFixtures.loadedSegmenter()
    for (word, freq) in userWords {
      try segmenter.add(word: word, freq: freq)
    }
    let sentences = Self.sentences + (try SegmentationJiebaParityTests.corpusSentences(perFile: 20))
    let expected = try SegmentationFixtures.jiebaCuts(sentences, userWords: userWords)
    SegmentationJiebaParityTests.assertParity(segmenter, sentences, expected)
  }

  @Test(
    "user dictionary file matches jieba.load_userdict",
    .enabled(if: SegmentationFixtures.hasPython, SegmentationFixtures.missingPython))
  func userDictionaryParity() throws {
    let path = try SegmentationFixtures.temporaryFile(Self.userDictionaryText, name: "user.dict")
    var segmenter = try SegmentationFixtures.loadedSegmenter()
    try segmenter.loadUserDictionary(path: path)
    let expected = try SegmentationFixtures.jiebaCuts(Self.sentences, userDictionary: path)
    SegmentationJiebaParityTests.assertParity(segmenter, Self.sentences, expected)
    #expect(segmenter.words(in: Self.sentences[0]).contains("创新办"))
  }

  @Test("user dictionary lines split like jieba")
  func userDictionaryLineSplitting() {
    let cases: [(String, String, String?, String?)] = [
      ("创新办 3 i", "创新办", "3", "i"),
      ("云计算 5", "云计算", "5", nil),
      ("凱特琳 nz", "凱特琳", nil, "nz"),
      ("台中", "台中", nil, nil),
      ("hello world 10", "hello world", "10", nil),
      ("hello world", "hello", nil, "world"),
      ("12 34 ab cd", "12 34 ab", nil, "cd"),
      ("Hello World 10 n", "Hello World", "10", "n"),
      ("a 1 b 2", "a 1 b", "2", nil),
      ("x", "x", nil, nil),
    ]
    for (line, word, frequency, tag) in cases {
      let parsed = ChineseSegmenter.parseUserDictionaryLine(Substring(line))
      #expect(parsed.word == Substring(word), "word of \(line)")
      #expect(parsed.frequency.map(String.init) == frequency, "frequency of \(line)")
      #expect(parsed.tag.map(String.init) == tag, "tag of \(line)")
    }
  }

  @Test("invalid user words are rejected")
  func invalidWords() throws {
    var segmenter = try SegmentationFixtures.loadedSegmenter()
    #expect(throws: SegmentationError.self) { try segmenter.add(word: "") }
    #expect(throws: SegmentationError.self) { try segmenter.add(word: "词", freq: -1) }
    #expect(throws: SegmentationError.self) { try segmenter.add(word: "词", freq: Int.max) }
  }

  @Test("invalid user dictionary names file and line")
  func invalidUserDictionary() throws {
    let original = try SegmentationFixtures.loadedSegmenter()

    var segmenter = original
    let badUTF8 = try SegmentationFixtures.temporaryFile(
      Array("云计算 5\n".utf8) + [0xE4, 0xB8, 0x20, 0x0A], name: "bad-utf8.dict")
    #expect(throws: SegmentationError.invalidUTF8(path: badUTF8, line: 2)) {
      try segmenter.loadUserDictionary(path: badUTF8)
    }

    let hugeFrequency = try SegmentationFixtures.temporaryFile(
      "云计算 5\n创新办 99999999999999999999 i\n", name: "huge.dict")
    do {
      try segmenter.loadUserDictionary(path: hugeFrequency)
      Issue.record("a frequency above Int64.max was accepted")
    } catch {
      guard case .invalidLine(let path, let line, let field, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(path == hugeFrequency)
      #expect(line == 2)
      #expect(field == "frequency")
    }
    #expect(segmenter.total == original.total)
    #expect(segmenter.words(in: "云计算") == original.words(in: "云计算"))

    let missing = "/nonexistent/shenzhou/user.dict"
    #expect(throws: SegmentationError.self) { try segmenter.loadUserDictionary(path: missing) }
  }
}
