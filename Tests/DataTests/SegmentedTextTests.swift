import ShenzhouText
import Testing

@testable import ShenzhouData

@Suite struct SegmentedTextTests {
  private func words(_ text: SegmentedText) -> [String] {
    text.words.map { range in
      var view = String.UnicodeScalarView()
      view.append(contentsOf: text.scalars[range])
      return String(view)
    }
  }

  @Test func peoplesDailyLineWithIdentifier() throws {
    let line = "19980101-01-001-001/m  迈向/v  充满/v  希望/n  的/u  新/a  世纪/n  ——/w  一九九八年/t  新年/t  讲话/n"
    let parsed = try SegmentedText(segmentedLine: line, options: SegmentedInputOptions(dropsLeadingToken: true))
    #expect(words(parsed) == ["迈向", "充满", "希望", "的", "新", "世纪", "——", "一九九八年", "新年", "讲话"])
    #expect(parsed.text == "迈向充满希望的新世纪——一九九八年新年讲话")
  }

  @Test func identifierKeptWithoutOption() throws {
    let parsed = try SegmentedText(segmentedLine: "19980101-01-001-001/m  迈向/v", options: SegmentedInputOptions())
    #expect(words(parsed) == ["19980101-01-001-001", "迈向"])
  }

  @Test func compoundBracketsAreRemoved() throws {
    let parsed = try SegmentedText(
      segmentedLine: "[中央/n  人民/n  广播/vn  电台/n]nt  记者/n", options: SegmentedInputOptions())
    #expect(words(parsed) == ["中央", "人民", "广播", "电台", "记者"])
  }

  @Test func untaggedWordsAndLatinSpacing() throws {
    let parsed = try SegmentedText(segmentedLine: "我 爱 New York 和 /", options: SegmentedInputOptions())
    #expect(words(parsed) == ["我", "爱", "New", "York", "和", "/"])
    #expect(parsed.text == "我爱New York和/")
  }

  @Test func tagStrippingCanBeDisabled() throws {
    let options = SegmentedInputOptions(stripsPartOfSpeechTags: false)
    let parsed = try SegmentedText(segmentedLine: "访问 http://a.cn/x 网站", options: options)
    #expect(words(parsed) == ["访问", "http://a.cn/x", "网站"])
  }

  @Test func sentencesKeepWholeWords() throws {
    let parsed = try SegmentedText(segmentedLine: "今天/t 很/d 好/a 。/w 我们/r 走/v 吧/y ！/w", options: SegmentedInputOptions())
    let sentences = parsed.sentences()
    #expect(sentences.map(\.text) == ["今天很好。", "我们走吧！"])
    #expect(sentences.map(words) == [["今天", "很", "好", "。"], ["我们", "走", "吧", "！"]])
  }

  @Test func unbalancedBracketNamesLine() {
    #expect(throws: SegmentationError.self) {
      try SegmentedText(segmentedLine: "[中央/n  人民/n", lineNumber: 7, path: "pd.txt", options: SegmentedInputOptions())
    }
  }

  @Test func blankLineGivesEmptyText() throws {
    let parsed = try SegmentedText(segmentedLine: " \t ", options: SegmentedInputOptions())
    #expect(parsed.scalars.isEmpty)
    #expect(parsed.sentences().isEmpty)
  }
}
