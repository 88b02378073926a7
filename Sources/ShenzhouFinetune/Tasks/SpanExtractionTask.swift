import ShenzhouModels
import ShenzhouText

/// A gold answer: a piece of the context and where it starts.
public struct SpanAnswer: Sendable, Hashable {
  public var text: String
  /// Index of the answer's first Unicode scalar in the context (a Python `str` index, as SQuAD-format files give).
  public var start: Int

  public init(text: String, start: Int) {
    self.text = text
    self.start = start
  }
}

/// A question about a context whose answer is a span of the context, as in CMRC 2018.
public struct SpanExample: Sendable, Hashable {
  public var question: String
  public var context: String
  /// Gold answers; the first one is the training target. Empty for examples that are only predicted.
  public var answers: [SpanAnswer]

  public init(question: String, context: String, answers: [SpanAnswer]) {
    self.question = question
    self.context = context
    self.answers = answers
  }
}

/// The best span found for one example.
public struct SpanPrediction: Sendable, Hashable {
  /// The predicted answer; empty when no window had a valid span.
  public var text: String
  /// Index of the answer's first Unicode scalar in the context; nil when `text` is empty.
  public var start: Int?
  /// Start logit plus end logit of the span.
  public var score: Float

  public init(text: String, start: Int?, score: Float) {
    self.text = text
    self.start = start
    self.score = score
  }
}

/// Span extraction with `BertForQuestionAnswering`.
///
/// Each example becomes `[CLS] question [SEP] context window [SEP]` features. The question keeps at most
/// `maxQuestionTokens` tokens, and a context longer than the remaining room is covered by windows that start
/// `documentStride` tokens apart, as in the original BERT SQuAD recipe. A window that does not contain the whole
/// first answer is trained to point at `[CLS]`. The prediction is the span with the highest start plus end logit
/// over all windows, at most `maxAnswerTokens` long. The metrics are exact match and a character-level F1 (the
/// overlap of the two strings' character multisets), each the maximum over the gold answers.
public struct SpanExtractionTask: FinetuneTask {
  public typealias Model = BertForQuestionAnswering

  public let maxQuestionTokens: Int
  public let documentStride: Int
  public let maxAnswerTokens: Int
  /// Start and end positions considered per window, the best by logit.
  public let candidatesPerWindow: Int

  public init(maxQuestionTokens: Int = 64, documentStride: Int = 128, maxAnswerTokens: Int = 30,
              candidatesPerWindow: Int = 20) {
    self.maxQuestionTokens = maxQuestionTokens
    self.documentStride = documentStride
    self.maxAnswerTokens = maxAnswerTokens
    self.candidatesPerWindow = candidatesPerWindow
  }

  // MARK: - Features

  public func features(of example: SpanExample, exampleIndex: Int, tokenizer: BertTokenizer, maxLength: Int) throws
    -> [TaskFeature]
  {
    let question = Array(tokenizer.tokenize(example.question).prefix(maxQuestionTokens))
    let context = tokenizer.tokenize(example.context)
    let room = maxLength - question.count - 3
    guard room > 0 else {
      throw ExampleError(
        "the question takes \(question.count) tokens, which leaves no room for the context in max_length "
          + "\(maxLength); raise max_length or lower maxQuestionTokens")
    }
    let answerTokens = try example.answers.first.map { try answerTokenRange($0, context: example.context, tokens: context) }

    var features: [TaskFeature] = []
    var windowStart = 0
    repeat {
      let windowEnd = Swift.min(windowStart + room, context.count)
      var ids: [Int32] = [tokenizer.clsTokenID]
      var offsets: [Range<Int>] = [0..<0]
      var sequenceIDs: [Int?] = [nil]
      for token in question {
        ids.append(token.id)
        offsets.append(token.range)
        sequenceIDs.append(0)
      }
      ids.append(tokenizer.sepTokenID)
      offsets.append(0..<0)
      sequenceIDs.append(nil)
      let questionLength = ids.count
      for token in context[windowStart..<windowEnd] {
        ids.append(token.id)
        offsets.append(token.range)
        sequenceIDs.append(1)
      }
      ids.append(tokenizer.sepTokenID)
      offsets.append(0..<0)
      sequenceIDs.append(nil)
      let typeIDs = (0..<ids.count).map { Int32($0 < questionLength ? 0 : 1) }

      var target = FeatureTarget.none
      if let answerTokens {
        if let tokens = answerTokens, tokens.lowerBound >= windowStart, tokens.upperBound <= windowEnd {
          let shift = questionLength - windowStart
          target = .span(start: tokens.lowerBound + shift, end: tokens.upperBound - 1 + shift)
        } else {
          target = .span(start: 0, end: 0)
        }
      }
      features.append(
        TaskFeature(
          exampleIndex: exampleIndex, rows: [FeatureRow(ids: ids, typeIDs: typeIDs)], target: target,
          offsets: offsets, sequenceIDs: sequenceIDs))
      if windowEnd >= context.count { break }
      windowStart += Swift.min(documentStride, room)
    } while true
    return features
  }

  /// Returns the context tokens that cover the answer (first to last, end exclusive), or nil when the answer
  /// covers no token (it is only whitespace or control characters).
  private func answerTokenRange(_ answer: SpanAnswer, context: String, tokens: [TokenSpan]) throws -> Range<Int>? {
    let scalars = Array(context.unicodeScalars)
    let end = answer.start + answer.text.unicodeScalars.count
    guard answer.start >= 0, end <= scalars.count else {
      throw ExampleError(
        "answer \"\(answer.text)\" at \(answer.start) runs past the context's \(scalars.count) characters")
    }
    guard scalarString(scalars, answer.start..<end) == answer.text else {
      throw ExampleError(
        "answer \"\(answer.text)\" does not match the context at \(answer.start), which reads "
          + "\"\(scalarString(scalars, answer.start..<end))\"; fix answer_start")
    }
    guard let first = tokens.firstIndex(where: { $0.end > answer.start }),
      let last = tokens.lastIndex(where: { $0.start < end }), first <= last
    else { return nil }
    return first..<(last + 1)
  }

  // MARK: - Running and predicting

  public func forward(_ model: BertForQuestionAnswering, batch: TaskBatch) throws -> (loss: Tensor?, outputs: Tensor) {
    let output = try model(batch.inputs, startPositions: batch.labels, endPositions: batch.endLabels)
    return (output.loss, try Tensor.stack([output.startLogits, output.endLogits], dim: 2))
  }

  public func predictions(outputs: [FeatureOutput], features: [TaskFeature], examples: [SpanExample]) throws
    -> [SpanPrediction]
  {
    var best = [SpanPrediction?](repeating: nil, count: examples.count)
    for (output, feature) in zip(outputs, features) {
      guard let candidate = bestSpan(output, feature: feature, context: examples[feature.exampleIndex].context)
      else { continue }
      if let current = best[feature.exampleIndex], current.score >= candidate.score { continue }
      best[feature.exampleIndex] = candidate
    }
    return best.map { $0 ?? SpanPrediction(text: "", start: nil, score: -.infinity) }
  }

  private func bestSpan(_ output: FeatureOutput, feature: TaskFeature, context: String) -> SpanPrediction? {
    let positions = feature.sequenceIDs.indices.filter { feature.sequenceIDs[$0] == 1 }
    func top(_ column: Int) -> [Int] {
      let sorted = positions.sorted { output.values[$0 * 2 + column] > output.values[$1 * 2 + column] }
      return Array(sorted.prefix(candidatesPerWindow))
    }
    var best: (start: Int, end: Int, score: Float)?
    for start in top(0) {
      for end in top(1) where end >= start && end - start < maxAnswerTokens {
        let score = output.values[start * 2] + output.values[end * 2 + 1]
        if let current = best, current.score >= score { continue }
        best = (start, end, score)
      }
    }
    guard let best else { return nil }
    let characters = feature.offsets[best.start].lowerBound..<feature.offsets[best.end].upperBound
    return SpanPrediction(
      text: scalarString(Array(context.unicodeScalars), characters), start: characters.lowerBound, score: best.score)
  }

  // MARK: - Metrics

  public func evaluate(predictions: [SpanPrediction], examples: [SpanExample]) throws -> EvaluationMetrics {
    var exact = 0.0
    var f1 = 0.0
    var count = 0
    for (prediction, example) in zip(predictions, examples) where !example.answers.isEmpty {
      let predicted = prediction.text.trimmingWhitespace()
      exact += example.answers.contains { $0.text.trimmingWhitespace() == predicted } ? 1 : 0
      f1 += example.answers.map { characterF1(predicted, $0.text.trimmingWhitespace()) }.max() ?? 0
      count += 1
    }
    let scale = count > 0 ? 1 / Double(count) : .nan
    return EvaluationMetrics(
      values: ["exact_match": exact * scale, "f1": f1 * scale, "examples": Double(count)], primary: "f1")
  }

  /// Returns the F1 of the character multisets of two strings.
  private func characterF1(_ predicted: String, _ gold: String) -> Double {
    var remaining: [Unicode.Scalar: Int] = [:]
    for scalar in gold.unicodeScalars { remaining[scalar, default: 0] += 1 }
    var common = 0
    for scalar in predicted.unicodeScalars where (remaining[scalar] ?? 0) > 0 {
      remaining[scalar, default: 0] -= 1
      common += 1
    }
    guard common > 0 else { return 0 }
    let precision = Double(common) / Double(predicted.unicodeScalars.count)
    let recall = Double(common) / Double(gold.unicodeScalars.count)
    return 2 * precision * recall / (precision + recall)
  }
}

/// Returns the scalars in `range` as a string.
func scalarString(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
  var view = String.UnicodeScalarView()
  view.append(contentsOf: scalars[range])
  return String(view)
}

extension String {
  func trimmingWhitespace() -> String {
    let scalars = Array(unicodeScalars)
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return scalarString(scalars, first..<(last + 1))
  }
}
