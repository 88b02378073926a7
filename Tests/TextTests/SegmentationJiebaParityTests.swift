import Foundation
import Testing

@testable import ShenzhouText

@Suite("Segmentation parity with jieba 0.42.1")
struct SegmentationJiebaParityTests {
  /// Sentences of the corpus documents: split after 。！？ and newlines, 4 to 200 characters,
  /// the first `perFile` of each file.
  static func corpusSentences(perFile: Int) throws -> [String] {
    var sentences: [String] = []
    for file in SegmentationFixtures.corpusFiles {
      let text = try String(contentsOf: file, encoding: .utf8)
      var takenCount = 0
      var current = String.UnicodeScalarView()
      func finish() {
        let sentence = String(current)
        current = String.UnicodeScalarView()
        let length = sentence.unicodeScalars.count
        if takenCount < perFile && length >= 4 && length <= 200 {
          sentences.append(sentence)
          takenCount += 1
        }
      }
      for scalar in text.unicodeScalars {
        if scalar == "\n" {
          finish()
          continue
        }
        current.append(scalar)
        if scalar == "。" || scalar == "！" || scalar == "？" { finish() }
        if takenCount >= perFile { break }
      }
    }
    return sentences
  }

  static let edgeCases: [String] = [
    "他来到了网易杭研大厦",
    "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
    "C++和Python3.10、v1.2.3、3.14%的iPhone15 Pro\r\nAT&T 😀\u{3000}全角ＡＢＣ",
    "韩冰冰说欧阳娜娜和习近平在2024年-03-01见面了_ok#tag&amp;",
    "  leading and trailing spaces  \t\n",
    "\r\n\r\n\n\r",
    "一",
    "a",
    "",
    "....---___%%%",
    "12.5%的增长率和3.14159以及1.2.3.4版本",
    "魑魅魍魉䶮𠀀𪚥龘",
    "中文English混合mixed文本text",
    "乒乓球拍卖完了结婚的和尚未结婚的",
    "工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作",
  ]

  static func assertParity(
    _ segmenter: ChineseSegmenter, _ sentences: [String], _ expected: (hmm: [[String]], noHMM: [[String]])
  ) {
    #expect(expected.hmm.count == sentences.count)
    var mismatches = 0
    for (index, sentence) in sentences.enumerated() where index < expected.hmm.count {
      let hmm = segmenter.words(in: sentence)
      let noHMM = segmenter.words(in: sentence, hmm: false)
      if hmm != expected.hmm[index] || noHMM != expected.noHMM[index] { mismatches += 1 }
      #expect(hmm == expected.hmm[index], "HMM=True differs on sentence \(index): \(sentence)")
      #expect(noHMM == expected.noHMM[index], "HMM=False differs on sentence \(index): \(sentence)")
      if mismatches > 10 { break }
    }
  }

  @Test(
    "corpus sentences match jieba.lcut",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData),
    .enabled(if: SegmentationFixtures.hasPython, SegmentationFixtures.missingPython),
    .enabled(if: !SegmentationFixtures.corpusFiles.isEmpty, SegmentationFixtures.missingCorpus))
  func corpusParity() throws {
    let segmenter = try SegmentationFixtures.loadedSegmenter()
    let sentences = try Self.corpusSentences(perFile: 200)
    #expect(sentences.count >= 300)
    let expected = try SegmentationFixtures.jiebaCuts(sentences)
    Self.assertParity(segmenter, sentences, expected)
  }

  @Test(
    "mixed scripts and punctuation match jieba.lcut",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData),
    .enabled(if: SegmentationFixtures.hasPython, SegmentationFixtures.missingPython))
  func edgeCaseParity() throws {
    let segmenter = try SegmentationFixtures.loadedSegmenter()
    let expected = try SegmentationFixtures.jiebaCuts(Self.edgeCases)
    Self.assertParity(segmenter, Self.edgeCases, expected)
  }

  /// Deterministic random strings over Han characters, ASCII letters, digits, the symbols that
  /// jieba keeps in blocks, whitespace, "\r\n", punctuation and characters outside the BMP.
  static func randomStrings(count: Int) -> [String] {
    let pieces: [String] = [
      "中", "国", "人", "民", "大", "学", "生", "活", "的", "了", "在", "是", "不", "一", "有",
      "和", "长", "江", "市", "南", "京", "研", "究", "所", "欧", "阳", "冰", "娜", "杭", "龘",
      "䶮", "鿕", "鿖", "𠀀", "😀", "a", "B", "z", "0", "7", "9", "+", "#", "&", ".", "_", "%", "-",
      " ", "\t", "\r\n", "\n", "\r", "\u{3000}", "，", "。", "“", "”", "Ａ", "１", "/", "@",
      "中国", "人民", "大学", "研究", "生命", "长江大桥", "Python", "3.14", "v2", "AT&T",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    return (0..<count).map { _ in
      (0..<(1 + next(24))).map { _ in pieces[next(pieces.count)] }.joined()
    }
  }

  @Test(
    "random mixed strings match jieba.lcut",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData),
    .enabled(if: SegmentationFixtures.hasPython, SegmentationFixtures.missingPython))
  func randomStringParity() throws {
    let segmenter = try SegmentationFixtures.loadedSegmenter()
    let strings = Self.randomStrings(count: 400)
    let expected = try SegmentationFixtures.jiebaCuts(strings)
    Self.assertParity(segmenter, strings, expected)
  }

  @Test(
    "known sentence without Python",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData))
  func knownSentence() throws {
    let segmenter = try SegmentationFixtures.loadedSegmenter()
    #expect(segmenter.words(in: "他来到了网易杭研大厦") == ["他", "来到", "了", "网易", "杭研", "大厦"])
    #expect(segmenter.cut("我爱北京") == [0..<1, 1..<2, 2..<4])
    #expect(segmenter.words(in: "a\r\nb") == ["a", "\r\n", "b"])
    #expect(segmenter.cut("").isEmpty)
  }

  @Test(
    "ranges cover the text in order",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData))
  func rangesCoverText() throws {
    let segmenter = try SegmentationFixtures.loadedSegmenter()
    for sentence in Self.edgeCases {
      let ranges = segmenter.cut(sentence)
      var next = 0
      for range in ranges {
        #expect(range.lowerBound == next, "gap or overlap at \(range) in \(sentence.debugDescription)")
        #expect(!range.isEmpty)
        next = range.upperBound
      }
      #expect(next == sentence.unicodeScalars.count)
    }
  }

  @Test(
    "concurrent cuts match serial cuts",
    .enabled(if: SegmentationFixtures.hasJiebaData, SegmentationFixtures.missingJiebaData))
  func concurrentCuts() async throws {
    let segmenter = try SegmentationFixtures.loadedSegmenter()
    let sentences = Self.edgeCases + Array(repeating: "小明硕士毕业于中国科学院计算所，后在日本京都大学深造", count: 50)
    let serial = sentences.map { segmenter.cut($0) }
    let results = await withTaskGroup(of: [[Range<Int>]].self) { group in
      for _ in 0..<8 {
        group.addTask { sentences.map { segmenter.cut($0) } }
      }
      var collected: [[[Range<Int>]]] = []
      for await result in group { collected.append(result) }
      return collected
    }
    #expect(results.count == 8)
    for result in results {
      #expect(result == serial)
    }
  }
}
