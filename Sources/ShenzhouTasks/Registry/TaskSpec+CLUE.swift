// MARK: - Registry

extension TaskSpec {
  /// The CLUE 1.0 tasks and CLUENER2020, in the order of the CLUE leaderboard.
  public static let all: [TaskSpec] = [
    afqmc, tnews, iflytek, ocnli, cmnli, cluewsc2020, csl, cmrc2018, chid, c3, cluener,
  ]

  /// Returns the task with this name, ignoring case. `wsc` also finds CLUEWSC2020.
  public static func named(_ name: String) -> TaskSpec? {
    let key = name.lowercased()
    if key == "wsc" { return cluewsc2020 }
    return all.first { $0.name == key }
  }

  /// Returns the defaults used unless a task sets its own: 128 tokens, learning rate 2e-5, 3 epochs,
  /// batch size 32.
  ///
  /// NOTE: Lengths and epochs follow the CLUE baseline settings. The per-task learning rates (2e-5,
  /// or 3e-5 for CMNLI, CMRC2018 and CLUENER) are starting points in the baselines' range, not
  /// checked against each baseline script.
  static func defaults(
    maxLength: Int = 128, learningRate: Double = 2e-5, epochs: Int = 3, batchSize: Int = 32
  ) -> TrainingDefaults {
    TrainingDefaults(maxLength: maxLength, learningRate: learningRate, epochs: epochs, batchSize: batchSize)
  }
}

// MARK: - Classification

extension TaskSpec {
  public static let afqmc = TaskSpec(
    name: "afqmc", displayName: "AFQMC", kind: .sentencePairClassification,
    labels: LabelSet(builtIn: ["0", "1"]), metric: .accuracy, defaults: defaults(),
    submissionFormat: .labelLines)

  /// TNEWS labels are the string ids 100 to 116 without 105 and 111, with the names of the
  /// published labels.json.
  public static let tnews = TaskSpec(
    name: "tnews", displayName: "TNEWS", kind: .singleSentenceClassification,
    labels: LabelSet(
      builtIn: ["100", "101", "102", "103", "104", "106", "107", "108", "109", "110", "112", "113", "114", "115", "116"],
      descriptions: [
        "news_story", "news_culture", "news_entertainment", "news_sports", "news_finance", "news_house", "news_car",
        "news_edu", "news_tech", "news_military", "news_travel", "news_world", "news_stock", "news_agriculture",
        "news_game",
      ]),
    metric: .accuracy, defaults: defaults(), submissionFormat: .labelLines)

  /// IFLYTEK labels are "0" to "118". Their Chinese app category names come from the task's
  /// labels.json through ``LabelSet/load(path:)``.
  public static let iflytek = TaskSpec(
    name: "iflytek", displayName: "IFLYTEK", kind: .singleSentenceClassification,
    labels: LabelSet(builtIn: (0..<119).map(String.init)), metric: .accuracy, defaults: defaults(),
    submissionFormat: .labelLines)

  public static let ocnli = TaskSpec(
    name: "ocnli", displayName: "OCNLI", kind: .sentencePairClassification,
    labels: LabelSet(builtIn: ["contradiction", "entailment", "neutral"]), metric: .accuracy,
    defaults: defaults(), submissionFormat: .labelLines)

  public static let cmnli = TaskSpec(
    name: "cmnli", displayName: "CMNLI", kind: .sentencePairClassification,
    labels: LabelSet(builtIn: ["contradiction", "entailment", "neutral"]), metric: .accuracy,
    defaults: defaults(learningRate: 3e-5, epochs: 2), submissionFormat: .labelLines)

  /// A single text with both spans marked (see ``WSCSpanMarkers``), labelled "true" or "false".
  public static let cluewsc2020 = TaskSpec(
    name: "cluewsc2020", displayName: "CLUEWSC2020", kind: .singleSentenceClassification,
    labels: LabelSet(builtIn: ["true", "false"]), metric: .accuracy, defaults: defaults(epochs: 50),
    submissionFormat: .labelLines)

  /// Keywords paired with the abstract.
  public static let csl = TaskSpec(
    name: "csl", displayName: "CSL", kind: .sentencePairClassification,
    labels: LabelSet(builtIn: ["0", "1"]), metric: .accuracy, defaults: defaults(maxLength: 256),
    submissionFormat: .labelLines)
}

// MARK: - Reading comprehension and NER

extension TaskSpec {
  public static let cmrc2018 = TaskSpec(
    name: "cmrc2018", displayName: "CMRC2018", kind: .spanExtraction, labels: LabelSet(builtIn: []),
    metric: .exactMatchAndF1, defaults: defaults(maxLength: 512, learningRate: 3e-5, epochs: 2),
    submissionFormat: .answerTextObject)

  public static let chid = TaskSpec(
    name: "chid", displayName: "ChID", kind: .multipleChoice, labels: LabelSet(builtIn: []), metric: .accuracy,
    defaults: defaults(maxLength: 64), submissionFormat: .choiceIndexObject)

  public static let c3 = TaskSpec(
    name: "c3", displayName: "C3", kind: .multipleChoice, labels: LabelSet(builtIn: []), metric: .accuracy,
    defaults: defaults(maxLength: 512, epochs: 8), submissionFormat: .choiceIndexLines)

  /// The ten CLUENER2020 entity types, sorted.
  public static let cluener = TaskSpec(
    name: "cluener", displayName: "CLUENER2020", kind: .tokenClassification,
    labels: LabelSet(builtIn: [
      "address", "book", "company", "game", "government", "movie", "name", "organization", "position", "scene",
    ]),
    metric: .entityF1, defaults: defaults(learningRate: 3e-5), submissionFormat: .entityLines)
}
