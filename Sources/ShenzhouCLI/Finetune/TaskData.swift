import Foundation
import ShenzhouCLIKit
import ShenzhouFinetune
import ShenzhouTasks

/// How to read a task's files: a CLUE task by name, or the user's own classification data.
struct TaskSelection {
  var spec: TaskSpec
  /// Set for `--task generic`: JSON Lines classification with these field names (TSV files, by their `.tsv`
  /// extension, use the same names as header columns).
  var genericLayout: JSONLinesLayout?
  var readOptions: CLUEReadOptions
  /// Tagging scheme of token classification.
  var tagScheme: TagScheme = .bio

  /// Resolves `--task` with its label and entity-type options. Generic tasks take their labels from `labelsFile`
  /// or collect them from `trainFile`.
  static func resolve(
    task name: String, labelsFile: String?, entityTypes: [String], trainFile: String?, textField: String,
    pairField: String?, labelField: String, tnewsKeywords: Bool, modelLabels: [String]? = nil
  ) throws -> TaskSelection {
    var options = CLUEReadOptions()
    if tnewsKeywords { options.tnewsKeywords = .append(separator: " ") }
    if name == "generic" {
      let labels: LabelSet
      if let labelsFile {
        labels = try LabelSet.load(path: labelsFile)
      } else if let trainFile, trainFile.hasSuffix(".tsv") {
        labels = try collectTSVLabels(path: trainFile, column: labelField)
      } else if let trainFile {
        labels = try LabelSet.collect(jsonLinesPath: trainFile, field: labelField)
      } else if let modelLabels, !modelLabels.isEmpty {
        labels = try LabelSet(names: modelLabels)
      } else {
        throw UsageError("--task generic needs --labels FILE, a --train file or a fine-tuned --model to take the labels from")
      }
      let spec = TaskSpec(
        name: "generic", displayName: "generic classification",
        kind: pairField == nil ? .singleSentenceClassification : .sentencePairClassification, labels: labels,
        metric: .accuracy,
        defaults: TaskSpec.TrainingDefaults(maxLength: 128, learningRate: 2e-5, epochs: 3, batchSize: 32),
        submissionFormat: .labelLines)
      let layout = JSONLinesLayout(text: textField, pairText: pairField, label: labelField, id: "id")
      return TaskSelection(spec: spec, genericLayout: layout, readOptions: options)
    }
    guard var spec = TaskSpec.named(name) else {
      let names = (TaskSpec.all.map(\.name) + ["generic"]).joined(separator: ", ")
      throw UsageError("--task expects one of \(names), got \"\(name)\"")
    }
    if !entityTypes.isEmpty {
      guard spec.kind == .tokenClassification else {
        throw UsageError("--entity-types applies to token classification tasks such as cluener")
      }
      spec.labels = try LabelSet(names: entityTypes)
      options.labels = spec.labels
    } else if let labelsFile {
      spec.labels = try LabelSet.load(path: labelsFile)
      options.labels = spec.labels
    }
    return TaskSelection(spec: spec, genericLayout: nil, readOptions: options)
  }

  func read(path: String, requireLabels: Bool) throws -> TaskDataset {
    if let genericLayout, path.hasSuffix(".tsv") {
      let layout = TSVLayout(
        text: .name(genericLayout.text), pairText: genericLayout.pairText.map { .name($0) },
        label: genericLayout.label.map { .name($0) }, id: nil, hasHeader: true)
      return .classification(
        try GenericClassificationReader.readTSV(
          path: path, layout: layout, labels: spec.labels, requireLabels: requireLabels))
    }
    if let genericLayout {
      var layout = genericLayout
      if !requireLabels, !fileHasField(path: path, field: layout.label ?? "") { layout.label = nil }
      return .classification(
        try GenericClassificationReader.readJSONLines(path: path, layout: layout, labels: spec.labels))
    }
    var options = readOptions
    options.requireLabels = requireLabels
    return try CLUEReader.read(task: spec, path: path, options: options)
  }

  /// Whether the first record of a JSON Lines file has `field`, so that unlabelled test files read without labels.
  private func fileHasField(path: String, field: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: path),
      let firstLine = String(decoding: data.prefix(1 << 16), as: UTF8.self).split(separator: "\n").first
    else { return false }
    return firstLine.contains("\"\(field)\"")
  }
}

/// The distinct values of a TSV file's `column` (named in its header line), in order of first appearance.
func collectTSVLabels(path: String, column: String) throws -> LabelSet {
  guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
    throw UsageError("cannot read \(path) as UTF-8 text to collect the labels; give --labels FILE")
  }
  let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
  guard let header = lines.first, let index = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == column }) else {
    throw UsageError("\(path), line 1: no header column named \"\(column)\"; set --label-field")
  }
  var names: [String] = []
  for (number, fields) in lines.dropFirst().enumerated() {
    guard index < fields.count else {
      throw UsageError("\(path), line \(number + 2): missing column \"\(column)\"")
    }
    let name = fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
    if !name.isEmpty, !names.contains(name) { names.append(name) }
  }
  return try LabelSet(names: names)
}
