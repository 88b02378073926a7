import Foundation
import ShenzhouFinetune
import Testing

/// Short runs of the token-classification, multiple-choice and span-extraction tasks on learnable synthetic data.
@Suite struct TaskTrainingTests {
  func config(steps: Int) -> FinetuneConfig {
    var config = FinetuneConfig()
    config.learningRate = 5e-3
    config.epochs = 100
    config.maxSteps = steps
    config.batchSize = 8
    config.maxLength = 24
    config.maxGradNorm = 0
    return config
  }

  @Test func tokenClassifierLearnsCharacterClasses() throws {
    // Label 1 for the first ten vocabulary characters, 0 for the rest.
    let characters = FinetuneFixtures.characters
    let examples = (0..<32).map { index -> TokenClassificationExample in
      let text = String((0..<6).map { characters[(index * 7 + $0 * 5) % characters.count] })
      let labels = text.map { character in (characters.firstIndex(of: character) ?? 0) < 10 ? 1 : 0 }
      return TokenClassificationExample(text: text, labels: labels)
    }
    let model = try BertForTokenClassification(config: FinetuneFixtures.config(labels: 2), generator: Generator(seed: 1))
    let finetuner = try Finetuner(
      task: TokenClassificationTask(labelCount: 2), model: model, tokenizer: FinetuneFixtures.tokenizer(),
      config: config(steps: 40))
    let result = try finetuner.train(examples, dev: examples)
    let accuracy = try #require(result.best?.metrics.values["token_accuracy"])
    #expect(accuracy > 0.9, "token accuracy \(accuracy)")
    let predictions = try finetuner.predict(examples)
    #expect(predictions.count == examples.count)
    #expect(predictions[0].labels.count == 6)
  }

  @Test func multipleChoiceLearnsMatchingChoice() throws {
    // The correct choice repeats the context's first character; examples have two or three choices.
    let characters = FinetuneFixtures.characters
    let examples = (0..<24).map { index -> MultipleChoiceExample in
      let first = characters[index % characters.count]
      let context = String([first, characters[(index + 3) % characters.count]])
      let choiceCount = index % 2 == 0 ? 3 : 2
      var choices = (0..<choiceCount).map { String(characters[(index + 11 + 6 * $0) % characters.count]) }
      let label = index % choiceCount
      choices[label] = String(first)
      return MultipleChoiceExample(context: context, choices: choices, label: label)
    }
    let model = try BertForMultipleChoice(config: FinetuneFixtures.config(), generator: Generator(seed: 2))
    let finetuner = try Finetuner(
      task: MultipleChoiceTask(), model: model, tokenizer: FinetuneFixtures.tokenizer(), config: config(steps: 40))
    let result = try finetuner.train(examples, dev: examples)
    let first = try #require(result.losses.first)
    let last = try #require(result.losses.last)
    #expect(last < first, "loss went from \(first) to \(last)")
    #expect(result.losses.allSatisfy { $0.isFinite })
    #expect(try finetuner.predict(examples).map(\.logits.count) == examples.map(\.choices.count))
  }

  @Test func spanExtractorRunsOverWindows() throws {
    let characters = FinetuneFixtures.characters
    let examples = (0..<16).map { index -> SpanExample in
      let context = String((0..<20).map { characters[(index + $0 * 3) % characters.count] })
      let scalars = Array(context.unicodeScalars)
      let start = index % 12
      var answer = String.UnicodeScalarView()
      answer.append(contentsOf: scalars[start..<(start + 2)])
      return SpanExample(
        question: String(characters[index % 5]), context: context,
        answers: [SpanAnswer(text: String(answer), start: start)])
    }
    var settings = config(steps: 6)
    settings.maxLength = 16
    let model = try BertForQuestionAnswering(config: FinetuneFixtures.config(), generator: Generator(seed: 3))
    let finetuner = try Finetuner(
      task: SpanExtractionTask(maxQuestionTokens: 4, documentStride: 6), model: model,
      tokenizer: FinetuneFixtures.tokenizer(), config: settings)
    let features = try finetuner.encode(examples, set: "train")
    #expect(features.count > examples.count)
    let result = try finetuner.train(examples, dev: examples)
    #expect(result.losses.count == 6)
    #expect(result.losses.allSatisfy { $0.isFinite })
    let predictions = try finetuner.predict(examples)
    #expect(predictions.count == examples.count)
    #expect(predictions.allSatisfy { $0.text.unicodeScalars.count <= 20 })
  }
}
