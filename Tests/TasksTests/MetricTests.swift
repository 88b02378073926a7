import Foundation
import ShenzhouTasks
import ShenzhouTestSupport
import Testing

/// A Python re-implementation of the CMRC 2018 scoring with the same stand-in for NLTK's tokenizer,
/// reading `[{"prediction", "answers"}]` from a file and printing `em f1` per item.
private let cmrcReferenceScript = #"""
  import json, sys, unicodedata

  PUNCTUATION = ['-', ':', '_', '*', '^', '/', '\\', '~', '`', '+', '=',
                 '，', '。', '：', '？', '！', '“', '”', '；', '’', '《', '》', '……', '·', '、',
                 '「', '」', '（', '）', '－', '～', '『', '』']

  def splits(text, i):
      c = text[i]
      category = unicodedata.category(c)
      if not (category.startswith('P') or (ord(c) < 128 and category.startswith('S'))):
          return False
      between_digits = c in '.,' and 0 < i < len(text) - 1 and text[i - 1].isdecimal() and text[i + 1].isdecimal()
      return not between_digits

  def words(text):
      out, word = [], ''
      for i, c in enumerate(text):
          if c.isspace() or splits(text, i):
              if word:
                  out.append(word)
              word = ''
              if not c.isspace():
                  out.append(c)
          else:
              word += c
      if word:
          out.append(word)
      return out

  def segment(text, remove):
      text = text.lower().strip()
      out, pending = [], ''
      for c in text:
          if remove and c in PUNCTUATION:
              continue
          if '\u4e00' <= c <= '\u9fa5' or c in PUNCTUATION:
              out.extend(words(pending))
              pending = ''
              out.append(c)
          else:
              pending += c
      out.extend(words(pending))
      return out

  def strip_punctuation(text):
      return ''.join(c for c in text.lower().strip() if c not in PUNCTUATION)

  def longest_common(a, b):
      table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
      best = 0
      for i in range(len(a)):
          for j in range(len(b)):
              if a[i] == b[j]:
                  table[i + 1][j + 1] = table[i][j] + 1
                  best = max(best, table[i + 1][j + 1])
      return best

  def f1(answers, prediction):
      scores = []
      for answer in answers:
          a, p = segment(answer, True), segment(prediction, True)
          common = longest_common(a, p)
          if common == 0:
              scores.append(0)
              continue
          precision, recall = common / len(p), common / len(a)
          scores.append(2 * precision * recall / (precision + recall))
      return max(scores)

  def em(answers, prediction):
      return int(any(strip_punctuation(a) == strip_punctuation(prediction) for a in answers))

  for item in json.load(open(sys.argv[1])):
      print(em(item['answers'], item['prediction']), repr(float(f1(item['answers'], item['prediction']))))
  """#

struct CMRC2018MetricTests {
  @Test func segmentsMixedText() {
    #expect(CMRC2018Metric.segments("光荣和ω-force", removingPunctuation: true) == ["光", "荣", "和", "ωforce"])
    #expect(CMRC2018Metric.segments("光荣和ω-force", removingPunctuation: false) == ["光", "荣", "和", "ω", "-", "force"])
    #expect(CMRC2018Metric.segments(" The iPhone 3.5 (2010年) ", removingPunctuation: true) == [
      "the", "iphone", "3.5", "(", "2010", "年", ")",
    ])
    #expect(CMRC2018Metric.segments("25℃ 1,000人", removingPunctuation: true) == ["25℃", "1,000", "人"])
    #expect(CMRC2018Metric.segments("25℃，1,000人", removingPunctuation: true) == ["25℃1,000", "人"])
    #expect(CMRC2018Metric.segments("a,b…c", removingPunctuation: true) == ["a", ",", "b", "…", "c"])
    #expect(CMRC2018Metric.segments("", removingPunctuation: true).isEmpty)
  }

  @Test func exactMatchIgnoresListedPunctuation() {
    #expect(CMRC2018Metric.exactMatch(prediction: "《光荣》", answers: ["光荣"]))
    #expect(CMRC2018Metric.exactMatch(prediction: " ABC ", answers: ["x", "abc"]))
    #expect(!CMRC2018Metric.exactMatch(prediction: "光荣.", answers: ["光荣"]))
    #expect(!CMRC2018Metric.exactMatch(prediction: "a b", answers: ["ab"]))
  }

  @Test func f1UsesLongestCommonRun() {
    #expect(abs(CMRC2018Metric.f1(prediction: "光荣和ω-force开发", answers: ["光荣和ω-force"]) - 0.8) < 1e-12)
    // The common run is 光荣 (2 of 4 predicted, 2 of 3 gold), not the 3 shared characters.
    let expected = 2 * (2.0 / 4) * (2.0 / 3) / (2.0 / 4 + 2.0 / 3)
    #expect(abs(CMRC2018Metric.f1(prediction: "光荣和好", answers: ["光荣好"]) - expected) < 1e-12)
    #expect(CMRC2018Metric.f1(prediction: "", answers: ["光荣"]) == 0)
    #expect(CMRC2018Metric.f1(prediction: "。", answers: ["。"]) == 0)
    #expect(CMRC2018Metric.f1(prediction: "光荣", answers: ["无关", "光荣"]) == 1)
  }

  @Test func scoreAveragesInPercent() {
    var score = CMRC2018Score()
    score.add(prediction: "光荣", answers: ["光荣"])
    score.add(prediction: "无", answers: ["光荣"])
    #expect(score.exactMatch == 50)
    #expect(score.f1 == 50)
    #expect(score.average == 50)
  }

  @Test(.enabled(if: TaskFixtures.hasCLUEData && TestEnvironment.hasPython, "needs the CLUE files and the project's Python"))
  func matchesPythonOnDevAnswers() throws {
    let dataset = try CLUEReader.readCMRC2018(path: TaskFixtures.clue("cmrc2018/dev.json"))
    var items: [[String: Any]] = []
    for (index, example) in dataset.examples.enumerated() {
      let answers = example.answers.map(\.text)
      let context = Array(example.context.unicodeScalars)
      let gold = answers[index % answers.count]
      var predictions = [gold, String(gold.dropFirst()), gold.uppercased(), " 《\(gold)》 ", ""]
      if let range = example.answers.first?.range {
        let lower = max(0, range.lowerBound - 4 - index % 5)
        let upper = min(context.count, range.upperBound + 3 + index % 7)
        predictions.append(String(String.UnicodeScalarView(context[lower..<upper])))
        predictions.append(String(String.UnicodeScalarView(context[range.lowerBound..<max(range.lowerBound, range.upperBound - 2)])))
      }
      for prediction in predictions {
        items.append(["prediction": prediction, "answers": answers])
      }
    }
    let path = try TestEnvironment.temporaryDirectory("cmrc") + "/items.json"
    try JSONSerialization.data(withJSONObject: items).write(to: URL(fileURLWithPath: path))
    let lines = try TaskFixtures.python(cmrcReferenceScript, [path])
    try #require(lines.count == items.count)

    var mismatches = 0
    var score = CMRC2018Score()
    for (item, line) in zip(items, lines) {
      let prediction = item["prediction"] as? String ?? ""
      let answers = item["answers"] as? [String] ?? []
      let parts = line.split(separator: " ")
      let exact = CMRC2018Metric.exactMatch(prediction: prediction, answers: answers)
      let f1 = CMRC2018Metric.f1(prediction: prediction, answers: answers)
      score.add(prediction: prediction, answers: answers)
      if parts.count != 2 || (exact ? "1" : "0") != parts[0] || abs(f1 - (Double(parts[1]) ?? -1)) > 1e-12 {
        mismatches += 1
        if mismatches <= 5 { Issue.record("\(prediction) vs \(answers): ours \(exact) \(f1), Python \(line)") }
      }
    }
    #expect(mismatches == 0)
    #expect(score.questions == items.count)
    #expect(score.exactMatch > 20)
    #expect(score.exactMatch < 80)
  }
}

struct EntityMetricTests {
  @Test func countsExactMatches() {
    var metric = EntityMetric()
    metric.add(
      predicted: [
        EntitySpan(type: "name", start: 0, end: 3), EntitySpan(type: "game", start: 4, end: 6),
        EntitySpan(type: "name", start: 7, end: 8),
      ],
      gold: [EntitySpan(type: "name", start: 0, end: 3), EntitySpan(type: "game", start: 4, end: 7)])
    metric.add(predicted: [], gold: [EntitySpan(type: "game", start: 0, end: 1)])
    #expect(metric.overall == EntityMetric.Counts(gold: 3, predicted: 3, correct: 1))
    #expect(abs(metric.overall.precision - 100.0 / 3) < 1e-9)
    #expect(abs(metric.overall.f1 - 100.0 / 3) < 1e-9)
    #expect(metric.byType["name"] == EntityMetric.Counts(gold: 1, predicted: 2, correct: 1))
    #expect(metric.byType["game"]?.recall == 0)
    #expect(metric.sentences == 2)
  }

  @Test func emptyCountsScoreZero() {
    let counts = EntityMetric.Counts()
    #expect(counts.precision == 0)
    #expect(counts.recall == 0)
    #expect(counts.f1 == 0)
    var accuracy = AccuracyMetric()
    #expect(accuracy.accuracy == 0)
    accuracy.add(prediction: "a", gold: "a")
    accuracy.add(prediction: "a", gold: "b")
    #expect(accuracy.accuracy == 50)
  }
}
