import Foundation
import ShenzhouFinetune
import ShenzhouModels
import ShenzhouTasks
import ShenzhouText

/// Connects a task's examples (ShenzhouTasks) to the fine-tuning loop (ShenzhouFinetune) and its predictions back
/// to CLUE submission files.
struct TaskRunner {
  let selection: TaskSelection
  let config: FinetuneConfig
  let events: (FinetuneEvent) -> Void

  var spec: TaskSpec { selection.spec }
  /// Tag names of token classification in the selected scheme (BIO or BIOES).
  var tagNames: [String] { EntityTag.labels(entityTypes: spec.labels, scheme: selection.tagScheme) }

  /// Outcome of one fine-tuning run.
  struct Outcome {
    var metrics: [String: Double]
    var primary: String
    var bestCheckpoint: String?
    /// Metrics of the best checkpoint on the test file, when one was given.
    var testMetrics: [String: Double]?
  }

  // MARK: - Fine-tuning

  /// Loads a head of type `Model` from `directory`, or with `fromScratch` builds one with random weights from the
  /// directory's config.json (the baseline that shows what pretraining adds).
  func makeModel<Model: BertTaskModel>(
    _ type: Model.Type, directory: String, labels: [String]?, fromScratch: Bool, generator: Generator
  ) throws -> Model {
    let modelDirectory = try ModelDirectory(path: directory)
    let positions = try modelDirectory.config().maxPositionEmbeddings
    guard config.maxLength <= positions else {
      throw FinetuneError.invalidConfig(
        field: "max-length",
        message: "--max-length \(config.maxLength) exceeds the model's max_position_embeddings \(positions); use at most \(positions)")
    }
    if fromScratch {
      var bertConfig = try modelDirectory.config()
      if let labels { bertConfig.setLabels(labels) }
      return try Model(config: bertConfig, generator: generator)
    }
    return try Model.load(
      directory: modelDirectory, labels: labels, reinitializeMismatchedHead: true, generator: generator
    ).model
  }

  /// Fine-tunes `model` (a pretraining or fine-tuned Hugging Face directory) on `train`, evaluating on `dev`, and
  /// scores the best checkpoint on `test` when given.
  func finetune(model directory: String, train: TaskDataset, dev: TaskDataset, test: TaskDataset?, fromScratch: Bool)
    throws -> Outcome
  {
    let tokenizer = try BertTokenizer.load(directory: directory)
    let generator = try Generator(seed: config.seed &+ 7)
    switch (train, dev, test) {
    case (.classification(let trainSet), .classification(let devSet), let test):
      let model = try makeModel(
        BertForSequenceClassification.self, directory: directory, labels: spec.labels.names, fromScratch: fromScratch,
        generator: generator)
      let finetuner = try Finetuner(
        task: SequenceClassificationTask(labelCount: spec.labels.count), model: model, tokenizer: tokenizer,
        config: config, metric: { predictions, examples in Self.accuracy(predictions.map(\.label), examples.map(\.label)) },
        events: events)
      var result = outcome(try finetuner.train(classification(trainSet), dev: classification(devSet)))
      if case .classification(let testSet)? = test {
        let predictions = try finetuner.predict(classification(testSet))
        result.testMetrics = Self.accuracy(predictions.map(\.label), testSet.examples.map(\.label)).values
      }
      return result
    case (.tokenClassification(let trainSet), .tokenClassification(let devSet), let test):
      let model = try makeModel(
        BertForTokenClassification.self, directory: directory, labels: tagNames, fromScratch: fromScratch,
        generator: generator)
      let finetuner = try Finetuner(
        task: TokenClassificationTask(labelCount: tagNames.count), model: model, tokenizer: tokenizer, config: config,
        metric: { predictions, _ in self.entityMetrics(predictions: predictions, gold: devSet.examples) },
        events: events)
      var result = outcome(try finetuner.train(tokens(trainSet), dev: tokens(devSet)))
      if case .tokenClassification(let testSet)? = test {
        let predictions = try finetuner.predict(tokens(testSet))
        result.testMetrics = entityMetrics(predictions: predictions, gold: testSet.examples).values
      }
      return result
    case (.spanExtraction(let trainSet), .spanExtraction(let devSet), let test):
      let model = try makeModel(
        BertForQuestionAnswering.self, directory: directory, labels: nil, fromScratch: fromScratch,
        generator: generator)
      let finetuner = try Finetuner(
        task: SpanExtractionTask(), model: model, tokenizer: tokenizer, config: config,
        metric: { predictions, _ in self.spanMetrics(predictions: predictions, gold: devSet.examples) },
        events: events)
      var result = outcome(try finetuner.train(spans(trainSet), dev: spans(devSet)))
      if case .spanExtraction(let testSet)? = test {
        let predictions = try finetuner.predict(spans(testSet))
        result.testMetrics = spanMetrics(predictions: predictions, gold: testSet.examples).values
      }
      return result
    case (.multipleChoice(let trainSet), .multipleChoice(let devSet), let test):
      let model = try makeModel(
        BertForMultipleChoice.self, directory: directory, labels: nil, fromScratch: fromScratch, generator: generator)
      let finetuner = try Finetuner(
        task: MultipleChoiceTask(), model: model, tokenizer: tokenizer, config: config,
        metric: { predictions, examples in Self.accuracy(predictions.map(\.choice), examples.map(\.label)) },
        events: events)
      var result = outcome(try finetuner.train(choices(trainSet), dev: choices(devSet)))
      if case .multipleChoice(let testSet)? = test {
        let predictions = try finetuner.predict(choices(testSet))
        result.testMetrics = Self.accuracy(predictions.map(\.choice), testSet.examples.map(\.answer)).values
      }
      return result
    default:
      throw FinetuneError.invalidConfig(field: "data", message: "the train and dev files hold different task kinds")
    }
  }

  func outcome(_ result: FinetuneResult) -> Outcome {
    let best = result.best
    return Outcome(
      metrics: best?.metrics.values ?? [:], primary: best?.metrics.primary ?? "", bestCheckpoint: result.bestCheckpoint,
      testMetrics: nil)
  }

  // MARK: - Prediction

  /// Predicts `data` with a fine-tuned model and returns the predictions in the task's submission shape.
  func predict(model directory: String, data: TaskDataset) throws -> SubmissionPredictions {
    let modelDirectory = try ModelDirectory(path: directory)
    let tokenizer = try BertTokenizer.load(directory: directory)
    switch data {
    case .classification(let set):
      let (model, _) = try BertForSequenceClassification.load(directory: modelDirectory)
      let labels = model.config.labelNames
      let finetuner = try Finetuner(
        task: SequenceClassificationTask(labelCount: labels.count), model: model, tokenizer: tokenizer, config: config)
      let predictions = try finetuner.predict(classification(set))
      return .labels(zip(set.examples, predictions).map { LabelPrediction(id: $0.id, label: labels[$1.label]) })
    case .tokenClassification(let set):
      let (model, _) = try BertForTokenClassification.load(directory: modelDirectory)
      let finetuner = try Finetuner(
        task: TokenClassificationTask(labelCount: model.config.numLabels), model: model, tokenizer: tokenizer,
        config: config)
      let predictions = try finetuner.predict(tokens(set))
      let names = model.config.labelNames
      return .entities(
        zip(set.examples, predictions).map { example, prediction in
          EntityPrediction(id: example.id, text: example.text, entities: spansOf(prediction, names: names))
        })
    case .spanExtraction(let set):
      let (model, _) = try BertForQuestionAnswering.load(directory: modelDirectory)
      let finetuner = try Finetuner(task: SpanExtractionTask(), model: model, tokenizer: tokenizer, config: config)
      let predictions = try finetuner.predict(spans(set))
      return .answers(zip(set.examples, predictions).map { AnswerPrediction(id: $0.id, text: $1.text) })
    case .multipleChoice(let set):
      let (model, _) = try BertForMultipleChoice.load(directory: modelDirectory)
      let finetuner = try Finetuner(task: MultipleChoiceTask(), model: model, tokenizer: tokenizer, config: config)
      let predictions = try finetuner.predict(choices(set))
      return .choices(zip(set.examples, predictions).map { ChoicePrediction(id: $0.id, index: $1.choice) })
    }
  }

  // MARK: - Conversions

  func classification(_ set: ClassificationDataset) -> [ShenzhouFinetune.ClassificationExample] {
    set.examples.map { ShenzhouFinetune.ClassificationExample(text: $0.text, pair: $0.pairText, label: $0.label) }
  }

  /// Character-level BIO or BIOES labels; overlapping gold mentions keep the longest, as CLUENER's nested mentions
  /// need.
  func tokens(_ set: EntityDataset) throws -> [TokenClassificationExample] {
    let index = Dictionary(uniqueKeysWithValues: tagNames.enumerated().map { ($1, $0) })
    return try set.examples.map { example in
      let length = example.text.unicodeScalars.count
      let (tags, _) = try EntityTag.encode(
        example.entities, length: length, scheme: selection.tagScheme, overlaps: .keepLongest)
      return TokenClassificationExample(text: example.text, labels: tags.map { index[$0.description] ?? 0 })
    }
  }

  func spans(_ set: SpanExtractionDataset) -> [SpanExample] {
    set.examples.map { example in
      let answers = example.answers.compactMap { answer in answer.start.map { SpanAnswer(text: answer.text, start: $0) } }
      return SpanExample(question: example.question, context: example.context, answers: answers)
    }
  }

  /// The context is the first segment; the question (empty for ChID) and one choice form the second.
  func choices(_ set: MultipleChoiceDataset) -> [ShenzhouFinetune.MultipleChoiceExample] {
    set.examples.map { example in
      let choices = example.choices.map { example.question.isEmpty ? $0 : example.question + " " + $0 }
      return ShenzhouFinetune.MultipleChoiceExample(context: example.context, choices: choices, label: example.answer)
    }
  }

  // MARK: - Metrics

  /// Accuracy in percent, as CLUE reports it and `shenzhou evaluate` prints it.
  static func accuracy(_ predicted: [Int], _ gold: [Int?]) -> EvaluationMetrics {
    var metric = AccuracyMetric()
    for (prediction, label) in zip(predicted, gold) { metric.add(prediction: prediction, gold: label ?? -1) }
    return EvaluationMetrics(values: ["accuracy": metric.accuracy], primary: "accuracy")
  }

  func spansOf(_ prediction: TokenClassificationPrediction, names: [String]) -> [EntitySpan] {
    let tags = prediction.labels.map { label in label.flatMap { EntityTag(names[$0]) } ?? .outside }
    return EntityTag.decode(tags)
  }

  func entityMetrics(predictions: [TokenClassificationPrediction], gold: [EntityExample]) -> EvaluationMetrics {
    var metric = EntityMetric()
    for (prediction, example) in zip(predictions, gold) {
      metric.add(predicted: spansOf(prediction, names: tagNames), gold: example.entities)
    }
    return EvaluationMetrics(
      values: ["entity_f1": metric.overall.f1, "entity_precision": metric.overall.precision,
               "entity_recall": metric.overall.recall],
      primary: "entity_f1")
  }

  func spanMetrics(predictions: [SpanPrediction], gold: [SpanExtractionExample]) -> EvaluationMetrics {
    var score = CMRC2018Score()
    for (prediction, example) in zip(predictions, gold) {
      score.add(prediction: prediction.text, answers: example.answers.map(\.text))
    }
    return EvaluationMetrics(values: ["em": score.exactMatch, "f1": score.f1, "average": score.average], primary: "average")
  }
}
