// MARK: - AFQMC, OCNLI, CMNLI

extension CLUEReader {
  /// Reads AFQMC: `sentence1`, `sentence2` and `label` ("0" or "1"), one JSON object per line.
  public static func readAFQMC(path: String, requireLabels: Bool = true) throws -> ClassificationDataset {
    try readClassificationLines(path: path, labels: TaskSpec.afqmc.labels, requireLabels: requireLabels) { fields in
      (try fields.string("sentence1"), try fields.string("sentence2"))
    }
  }

  /// Reads OCNLI: `sentence1` (premise), `sentence2` (hypothesis) and `label`. Records labelled
  /// `"-"` (no annotator majority) are left out and listed in `skippedRecords`.
  public static func readOCNLI(path: String, requireLabels: Bool = true) throws -> ClassificationDataset {
    try readClassificationLines(
      path: path, labels: TaskSpec.ocnli.labels, requireLabels: requireLabels,
      skippedLabels: ["-": "label \"-\": the annotators did not agree"]
    ) { fields in
      (try fields.string("sentence1"), try fields.string("sentence2"))
    }
  }

  /// Reads CMNLI: `sentence1`, `sentence2` and `label`, like OCNLI. Records labelled `"-"` are left
  /// out and listed in `skippedRecords`.
  public static func readCMNLI(path: String, requireLabels: Bool = true) throws -> ClassificationDataset {
    try readClassificationLines(
      path: path, labels: TaskSpec.cmnli.labels, requireLabels: requireLabels,
      skippedLabels: ["-": "label \"-\": the annotators did not agree"]
    ) { fields in
      (try fields.string("sentence1"), try fields.string("sentence2"))
    }
  }
}
