import Foundation
import ShenzhouFinetune
import Testing

@Suite struct TokenClassificationEncodingTests {
  let task = TokenClassificationTask(labelCount: 3)

  @Test func labelsFollowOffsets() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    // Scalars: h e l l o _ w o r l d s _ 中 国 → words hello, world + ##s, 中, 国.
    let text = "hello worlds 中国"
    let labels = [1, 2, 2, 2, 2, -1, 1, 2, 2, 2, 2, 2, -1, 1, 2]
    let feature = try #require(
      task.features(
        of: TokenClassificationExample(text: text, labels: labels), exampleIndex: 0, tokenizer: tokenizer,
        maxLength: 16
      ).first)
    let tokens = tokenizer.tokens(forIDs: feature.rows[0].ids)
    #expect(tokens == ["[CLS]", "hello", "world", "##s", "中", "国", "[SEP]"])
    #expect(feature.continuations == [false, false, false, true, false, false, false])
    #expect(feature.target == .tokenLabels([-100, 1, 1, -100, 1, 2, -100]))
  }

  @Test func everySubwordOptionLabelsPieces() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let task = TokenClassificationTask(labelCount: 3, labelsEverySubword: true)
    let labels = [1, 2, 2, 2, 2, 0]
    let feature = try #require(
      task.features(
        of: TokenClassificationExample(text: "worlds", labels: labels), exampleIndex: 0, tokenizer: tokenizer,
        maxLength: 8
      ).first)
    #expect(feature.target == .tokenLabels([-100, 1, 0, -100]))
  }

  @Test func predictionsMapBackToCharacters() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let example = TokenClassificationExample(text: "hello 中国", labels: nil)
    let features = try task.features(of: example, exampleIndex: 0, tokenizer: tokenizer, maxLength: 8)
    let feature = try #require(features.first)
    #expect(feature.target == FeatureTarget.none)
    // Five positions ([CLS] hello 中 国 [SEP]), three classes; the largest logit picks the class.
    let winners = [0, 2, 1, 2, 0]
    var values = [Float](repeating: 0, count: 15)
    for (position, label) in winners.enumerated() { values[position * 3 + label] = 1 }
    let predictions = try task.predictions(
      outputs: [FeatureOutput(values: values, shape: [5, 3])], features: features, examples: [example])
    #expect(predictions.first?.labels == [2, nil, nil, nil, nil, nil, 1, 2])
  }

  @Test func labelCountMustMatchText() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let example = TokenClassificationExample(text: "中国", labels: [0])
    #expect(throws: ExampleError.self) {
      try task.features(of: example, exampleIndex: 0, tokenizer: tokenizer, maxLength: 8)
    }
  }

  @Test func metricSkipsUnpredictedCharacters() throws {
    let examples = [TokenClassificationExample(text: "abc", labels: [1, 2, -1])]
    let predictions = [TokenClassificationPrediction(labels: [1, nil, 0])]
    let metrics = try task.evaluate(predictions: predictions, examples: examples)
    #expect(metrics.values["token_accuracy"] == 1)
    #expect(metrics.values["scored_characters"] == 1)
    #expect(metrics.values["unscored_characters"] == 1)
  }
}

@Suite struct SpanExtractionEncodingTests {
  @Test func longContextSplitsIntoWindows() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let task = SpanExtractionTask(maxQuestionTokens: 4, documentStride: 3)
    let context = "的一是在不了有和人这中大为上个"  // 15 characters, one token each
    let example = SpanExample(question: "中国", context: context, answers: [SpanAnswer(text: "和人", start: 7)])
    // Room for the context: 12 − 2 question tokens − 3 special tokens = 7 tokens per window.
    let features = try task.features(of: example, exampleIndex: 0, tokenizer: tokenizer, maxLength: 12)
    #expect(features.count == 4)
    #expect(features.map(\.rows[0].ids.count) == [12, 12, 12, 11])
    // Windows start at context tokens 0, 3, 6 and 9; the answer covers tokens 7 and 8, and the context starts
    // at position 4 ([CLS], two question tokens, [SEP]).
    #expect(features[0].target == .span(start: 0, end: 0))
    #expect(features[1].target == .span(start: 8, end: 9))
    #expect(features[2].target == .span(start: 5, end: 6))
    #expect(features[3].target == .span(start: 0, end: 0))
    #expect(features[1].rows[0].typeIDs == [0, 0, 0, 0] + [Int32](repeating: 1, count: 8))
  }

  @Test func bestSpanAcrossWindows() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let task = SpanExtractionTask(maxQuestionTokens: 4, documentStride: 3)
    let context = "的一是在不了有和人这中大为上个"
    let example = SpanExample(question: "中国", context: context, answers: [SpanAnswer(text: "和人", start: 7)])
    let features = try task.features(of: example, exampleIndex: 0, tokenizer: tokenizer, maxLength: 12)
    let outputs = features.enumerated().map { index, feature -> FeatureOutput in
      var values = [Float](repeating: 0, count: feature.rows[0].ids.count * 2)
      if index == 2 {
        values[5 * 2] = 5  // start at 和
        values[6 * 2 + 1] = 5  // end at 人
      }
      values[0] = 20  // [CLS] is never a candidate
      return FeatureOutput(values: values, shape: [feature.rows[0].ids.count, 2])
    }
    let prediction = try #require(
      task.predictions(outputs: outputs, features: features, examples: [example]).first)
    #expect(prediction.text == "和人")
    #expect(prediction.start == 7)
    let metrics = try task.evaluate(predictions: [prediction], examples: [example])
    #expect(metrics.values["exact_match"] == 1)
    #expect(metrics.values["f1"] == 1)
  }

  @Test func misplacedAnswerIsRejected() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let example = SpanExample(question: "中", context: "的一是在", answers: [SpanAnswer(text: "是在", start: 1)])
    let error = #expect(throws: ExampleError.self) {
      try SpanExtractionTask().features(of: example, exampleIndex: 0, tokenizer: tokenizer, maxLength: 16)
    }
    #expect(error?.message.contains("which reads \"一是\"") == true)
  }

  @Test func partialOverlapGivesPartialF1() throws {
    let task = SpanExtractionTask()
    let example = SpanExample(question: "q", context: "abcd", answers: [SpanAnswer(text: "abcd", start: 0)])
    let metrics = try task.evaluate(
      predictions: [SpanPrediction(text: "ab", start: 0, score: 1)], examples: [example])
    #expect(metrics.values["exact_match"] == 0)
    #expect(abs((metrics.values["f1"] ?? 0) - 2.0 / 3.0) < 1e-12)
  }
}

@Suite struct MultipleChoiceEncodingTests {
  @Test func choicesArePaddedWithMaskedRows() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let task = MultipleChoiceTask()
    let examples = [
      MultipleChoiceExample(context: "中国", choices: ["的", "一", "是"], label: 2),
      MultipleChoiceExample(context: "大", choices: ["人", "这"], label: 0),
    ]
    let features = try examples.enumerated().flatMap { index, example in
      try task.features(of: example, exampleIndex: index, tokenizer: tokenizer, maxLength: 8)
    }
    let batch = try TaskBatch.collate(
      features, padID: tokenizer.padTokenID, clsID: tokenizer.clsTokenID, sepID: tokenizer.sepTokenID,
      byChoices: true, device: .cpu)
    #expect(batch.inputs.inputIds.shape == [2, 3, 6])
    #expect(try batch.choiceMask?.toArray(Bool.self) == [true, true, true, true, true, false])
    #expect(try batch.labels?.toArray(Int64.self) == [2, 0])
    let filler = try batch.inputs.inputIds.select(dim: 0, index: 1).select(dim: 0, index: 2).toArray(Int64.self)
    #expect(filler == [Int64(tokenizer.clsTokenID), Int64(tokenizer.sepTokenID), 0, 0, 0, 0])
  }

  @Test func labelOutsideChoicesIsRejected() throws {
    let tokenizer = try FinetuneFixtures.tokenizer()
    let example = MultipleChoiceExample(context: "中", choices: ["的", "一"], label: 2)
    #expect(throws: ExampleError.self) {
      try MultipleChoiceTask().features(of: example, exampleIndex: 0, tokenizer: tokenizer, maxLength: 8)
    }
  }
}

@Suite struct BatchCollationTests {
  @Test func rowsArePaddedToLongest() throws {
    let features = [
      TaskFeature(exampleIndex: 0, rows: [FeatureRow(ids: [2, 10, 3], typeIDs: [0, 0, 0])], target: .classIndex(1)),
      TaskFeature(
        exampleIndex: 1, rows: [FeatureRow(ids: [2, 10, 11, 3, 12, 3], typeIDs: [0, 0, 0, 0, 1, 1])],
        target: .classIndex(0)),
    ]
    let batch = try TaskBatch.collate(features, padID: 0, clsID: 2, sepID: 3, byChoices: false, device: .cpu)
    #expect(batch.inputs.inputIds.shape == [2, 6])
    #expect(try batch.inputs.inputIds.toArray(Int64.self) == [2, 10, 3, 0, 0, 0, 2, 10, 11, 3, 12, 3])
    #expect(try batch.inputs.attentionMask?.toArray(Int64.self) == [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    #expect(try batch.inputs.tokenTypeIds?.toArray(Int64.self) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    #expect(try batch.labels?.toArray(Int64.self) == [1, 0])
  }

  @Test func mixedTargetsAreRejected() throws {
    let row = FeatureRow(ids: [2, 3], typeIDs: [0, 0])
    let features = [
      TaskFeature(exampleIndex: 0, rows: [row], target: .classIndex(1)),
      TaskFeature(exampleIndex: 1, rows: [row], target: .span(start: 0, end: 0)),
    ]
    #expect(throws: FinetuneError.mixedTargets("class index and span")) {
      try TaskBatch.collate(features, padID: 0, clsID: 2, sepID: 3, byChoices: false, device: .cpu)
    }
  }

  @Test func tokenLabelsArePaddedWithIgnoreIndex() throws {
    let features = [
      TaskFeature(exampleIndex: 0, rows: [FeatureRow(ids: [2, 3], typeIDs: [0, 0])], target: .tokenLabels([-100, -100])),
      TaskFeature(
        exampleIndex: 1, rows: [FeatureRow(ids: [2, 9, 3], typeIDs: [0, 0, 0])], target: .tokenLabels([-100, 2, -100])),
    ]
    let batch = try TaskBatch.collate(features, padID: 0, clsID: 2, sepID: 3, byChoices: false, device: .cpu)
    #expect(try batch.labels?.toArray(Int64.self) == [-100, -100, -100, -100, 2, -100])
  }
}
