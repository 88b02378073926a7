// MARK: - Reading by task

/// Task-specific reading choices for ``CLUEReader/read(task:path:options:)``.
public struct CLUEReadOptions: Sendable, Hashable {
  /// Whether every record must have a label (false for test files).
  public var requireLabels: Bool
  /// Labels to use instead of the task's built-in ones, such as TNEWS's labels.json.
  public var labels: LabelSet?
  public var tnewsKeywords: TNEWSKeywordUse
  public var cslKeywordSeparator: String
  public var wscMarkers: WSCSpanMarkers
  public var chidMarkers: ChIDBlankMarkers

  public init(
    requireLabels: Bool = true, labels: LabelSet? = nil, tnewsKeywords: TNEWSKeywordUse = .ignore,
    cslKeywordSeparator: String = " ", wscMarkers: WSCSpanMarkers = WSCSpanMarkers(),
    chidMarkers: ChIDBlankMarkers = ChIDBlankMarkers()
  ) {
    self.requireLabels = requireLabels
    self.labels = labels
    self.tnewsKeywords = tnewsKeywords
    self.cslKeywordSeparator = cslKeywordSeparator
    self.wscMarkers = wscMarkers
    self.chidMarkers = chidMarkers
  }
}

extension CLUEReader {
  /// Reads a file of any task in ``TaskSpec/all`` with that task's reader.
  public static func read(task: TaskSpec, path: String, options: CLUEReadOptions = CLUEReadOptions()) throws
    -> TaskDataset
  {
    let required = options.requireLabels
    switch task.name {
    case TaskSpec.afqmc.name:
      return .classification(try readAFQMC(path: path, requireLabels: required))
    case TaskSpec.tnews.name:
      return .classification(
        try readTNEWS(
          path: path, labels: options.labels ?? task.labels, keywords: options.tnewsKeywords, requireLabels: required))
    case TaskSpec.iflytek.name:
      return .classification(try readIFLYTEK(path: path, labels: options.labels ?? task.labels, requireLabels: required))
    case TaskSpec.ocnli.name:
      return .classification(try readOCNLI(path: path, requireLabels: required))
    case TaskSpec.cmnli.name:
      return .classification(try readCMNLI(path: path, requireLabels: required))
    case TaskSpec.cluewsc2020.name:
      return .classification(try readCLUEWSC2020(path: path, markers: options.wscMarkers, requireLabels: required))
    case TaskSpec.csl.name:
      return .classification(
        try readCSL(path: path, keywordSeparator: options.cslKeywordSeparator, requireLabels: required))
    case TaskSpec.cmrc2018.name:
      return .spanExtraction(try readCMRC2018(path: path))
    case TaskSpec.chid.name:
      return .multipleChoice(try readChID(path: path, markers: options.chidMarkers, requireLabels: required))
    case TaskSpec.c3.name:
      return .multipleChoice(try readC3(path: path, requireLabels: required))
    case TaskSpec.cluener.name:
      return .tokenClassification(
        try readCLUENER(path: path, entityTypes: options.labels ?? task.labels, requireLabels: required))
    default:
      throw TaskDataError(
        .invalidRecord, path: path, location: .file,
        message: "no reader for task \"\(task.name)\". Known tasks: \(TaskSpec.all.map(\.name).joined(separator: ", "))")
    }
  }
}
