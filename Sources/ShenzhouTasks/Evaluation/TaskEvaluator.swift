/// Scores a predictions file in the CLUE submission format of a task against a labelled file.
public enum TaskEvaluator {
  /// Reads the labelled data with the task's reader and the predictions in
  /// ``TaskSpec/submissionFormat``, and scores every labelled example. Every example needs exactly
  /// one prediction. Throws ``TaskDataError`` for a malformed file, a missing, repeated or unknown
  /// id, or a predicted label outside the task's labels.
  public static func evaluate(
    task: TaskSpec, dataPath: String, predictionsPath: String, options: CLUEReadOptions = CLUEReadOptions()
  ) throws -> EvaluationReport {
    var readOptions = options
    readOptions.requireLabels = true
    let dataset = try CLUEReader.read(task: task, path: dataPath, options: readOptions)
    switch dataset {
    case .classification(let data):
      return try evaluateClassification(task: task, data: data, predictionsPath: predictionsPath)
    case .spanExtraction(let data):
      return try evaluateSpans(task: task, data: data, dataPath: dataPath, predictionsPath: predictionsPath)
    case .multipleChoice(let data):
      return try evaluateChoices(task: task, data: data, predictionsPath: predictionsPath)
    case .tokenClassification(let data):
      return try evaluateEntities(task: task, data: data, predictionsPath: predictionsPath)
    }
  }

  // MARK: - Classification

  private static func evaluateClassification(
    task: TaskSpec, data: ClassificationDataset, predictionsPath path: String
  ) throws -> EvaluationReport {
    let predictions = try PredictionFile.match(
      try PredictionFile.readLines(path: path), exampleIDs: data.examples.map(\.id),
      skippedIDs: Set(data.skippedRecords.map(\.id)), path: path)
    var accuracy = AccuracyMetric()
    for example in data.examples {
      guard let prediction = predictions[example.id], let gold = example.label else { continue }
      let fields = RecordFields(
        path: path, location: prediction.location,
        object: JSONObject([JSONObject.Member(key: "label", value: prediction.value)]))
      guard let predicted = try fields.labelIndex("label", in: data.labels, required: true) else { continue }
      accuracy.add(prediction: predicted, gold: gold)
    }
    return EvaluationReport(
      task: task.name, metric: .accuracy,
      entries: [
        .init(name: "accuracy", value: .score(accuracy.accuracy)),
        .init(name: "correct", value: .count(accuracy.correct)),
        .init(name: "total", value: .count(accuracy.total)),
        .init(name: "skipped", value: .count(data.skippedRecords.count)),
      ])
  }

  // MARK: - Span extraction

  private static func evaluateSpans(
    task: TaskSpec, data: SpanExtractionDataset, dataPath: String, predictionsPath path: String
  ) throws -> EvaluationReport {
    let predictions = try PredictionFile.match(
      try PredictionFile.readObject(path: path), exampleIDs: data.examples.map(\.id), skippedIDs: [], path: path)
    var score = CMRC2018Score()
    for example in data.examples {
      guard let prediction = predictions[example.id] else { continue }
      guard case .string(let text) = prediction.value else {
        throw TaskDataError(
          .invalidRecord, path: path, location: prediction.location,
          message: "expected the answer text as a string, found \(prediction.value.typeDescription)")
      }
      guard !example.answers.isEmpty else {
        throw TaskDataError(
          .invalidRecord, path: dataPath, location: .file, field: "answers",
          message: "question \(example.id) has no gold answer to score against")
      }
      score.add(prediction: text, answers: example.answers.map(\.text))
    }
    return EvaluationReport(
      task: task.name, metric: .exactMatchAndF1,
      entries: [
        .init(name: "average", value: .score(score.average)),
        .init(name: "f1", value: .score(score.f1)),
        .init(name: "em", value: .score(score.exactMatch)),
        .init(name: "total", value: .count(score.questions)),
      ])
  }

  // MARK: - Multiple choice

  private static func evaluateChoices(
    task: TaskSpec, data: MultipleChoiceDataset, predictionsPath path: String
  ) throws -> EvaluationReport {
    let raw =
      task.submissionFormat == .choiceIndexObject
      ? try PredictionFile.readObject(path: path) : try PredictionFile.readLines(path: path)
    let predictions = try PredictionFile.match(raw, exampleIDs: data.examples.map(\.id), skippedIDs: [], path: path)
    var accuracy = AccuracyMetric()
    for example in data.examples {
      guard let prediction = predictions[example.id], let gold = example.answer else { continue }
      let index = try choiceIndex(prediction, choiceCount: example.choices.count, path: path)
      accuracy.add(prediction: index, gold: gold)
    }
    return EvaluationReport(
      task: task.name, metric: .accuracy,
      entries: [
        .init(name: "accuracy", value: .score(accuracy.accuracy)),
        .init(name: "correct", value: .count(accuracy.correct)),
        .init(name: "total", value: .count(accuracy.total)),
      ])
  }

  /// Reads a choice index written as an integer or a string of digits and checks it against the
  /// choices.
  private static func choiceIndex(_ prediction: RawPrediction, choiceCount: Int, path: String) throws -> Int {
    var index = prediction.value.intValue
    if index == nil, case .string(let text) = prediction.value { index = Int(text) }
    guard let index else {
      throw TaskDataError(
        .invalidRecord, path: path, location: prediction.location, field: prediction.field,
        message: "expected a choice index, found \(prediction.value.typeDescription)")
    }
    guard (0..<choiceCount).contains(index) else {
      throw TaskDataError(
        .unknownLabel, path: path, location: prediction.location, field: prediction.field,
        message: "choice index \(index) is outside the \(choiceCount) choices of id \(prediction.id)")
    }
    return index
  }

  // MARK: - Entities

  private static func evaluateEntities(
    task: TaskSpec, data: EntityDataset, predictionsPath path: String
  ) throws -> EvaluationReport {
    let predictions = try PredictionFile.match(
      try PredictionFile.readLines(path: path), exampleIDs: data.examples.map(\.id), skippedIDs: [], path: path)
    var metric = EntityMetric()
    for example in data.examples {
      guard let prediction = predictions[example.id] else { continue }
      let fields = RecordFields(
        path: path, location: prediction.location,
        object: JSONObject([JSONObject.Member(key: "label", value: prediction.value)]))
      var predicted: [EntitySpan] = []
      if prediction.value != .null {
        predicted = try CLUEReader.nerEntities(
          try fields.object("label"), fieldPrefix: "label", text: Array(example.text.unicodeScalars),
          types: data.entityTypes, fields: fields)
      }
      metric.add(predicted: predicted, gold: example.entities)
    }
    return EvaluationReport(
      task: task.name, metric: .entityF1,
      entries: [
        .init(name: "precision", value: .score(metric.overall.precision)),
        .init(name: "recall", value: .score(metric.overall.recall)),
        .init(name: "f1", value: .score(metric.overall.f1)),
        .init(name: "gold_entities", value: .count(metric.overall.gold)),
        .init(name: "predicted_entities", value: .count(metric.overall.predicted)),
        .init(name: "correct_entities", value: .count(metric.overall.correct)),
        .init(name: "sentences", value: .count(metric.sentences)),
        .init(name: "by_type", value: .breakdown(metric.byType)),
      ])
  }
}
