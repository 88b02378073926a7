import Testing

@testable import ShenzhouData

@Suite struct SentenceSplitterTests {
  private func split(_ text: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    return SentenceSplitter.sentenceRanges(in: scalars).map { range in
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[range])
      return String(view)
    }
  }

  @Test func chinesePunctuation() {
    #expect(split("今天天气很好。我们去公园吧！你来吗？好；走……") == ["今天天气很好。", "我们去公园吧！", "你来吗？", "好；", "走……"])
  }

  @Test func closingQuotesStayWithSentence() {
    #expect(split("他说：“我来了。”然后走了。") == ["他说：“我来了。”", "然后走了。"])
    #expect(split("《红楼梦》好看吗？」不知道。") == ["《红楼梦》好看吗？」", "不知道。"])
  }

  @Test func westernPunctuation() {
    #expect(split("Hello world. This is fine! Really? Yes.") == ["Hello world.", "This is fine!", "Really?", "Yes."])
  }

  @Test func periodsInsideNumbersAndNames() {
    #expect(split("圆周率是3.14。访问example.com了解更多。") == ["圆周率是3.14。", "访问example.com了解更多。"])
    #expect(split("版本 2.0.1 发布") == ["版本 2.0.1 发布"])
  }

  @Test func periodBeforeChineseSplits() {
    #expect(split("He left.我们走吧") == ["He left.", "我们走吧"])
  }

  @Test func whitespaceIsTrimmedAndEmptyDropped() {
    #expect(split("  第一句。　 第二句。  ") == ["第一句。", "第二句。"])
    #expect(split("。。。") == ["。。。"])
    #expect(split("   ").isEmpty)
    #expect(split("").isEmpty)
  }

  @Test func textWithoutTerminatorIsOneSentence() {
    #expect(split("没有标点的一段话") == ["没有标点的一段话"])
  }
}
