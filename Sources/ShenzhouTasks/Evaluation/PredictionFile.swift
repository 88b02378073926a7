/// One raw prediction: its id, its value node and where it was in the file.
struct RawPrediction {
  var id: ExampleID
  var value: JSONNode
  var location: RecordLocation
  /// The field that contains the value, for error messages: `label` in JSON Lines files, nil in
  /// object files where the id is the key.
  var field: String?
}

/// Reading submission-format prediction files and matching them to labelled examples.
enum PredictionFile {
  /// Reads JSON Lines of `{"id": ..., "label": ...}`.
  static func readLines(path: String) throws -> [RawPrediction] {
    let file = try TaskFile(path: path)
    var predictions: [RawPrediction] = []
    try file.forEachJSONLine { line, object in
      let fields = RecordFields(path: path, location: .line(line), object: object)
      guard fields.hasValue("id") else { throw fields.missing("id") }
      let id = try fields.id(["id"], fallback: 0)
      guard let value = fields.value("label") else { throw fields.missing("label") }
      predictions.append(RawPrediction(id: id, value: value, location: .line(line), field: "label"))
    }
    return predictions
  }

  /// Reads one JSON object that maps ids to values.
  static func readObject(path: String) throws -> [RawPrediction] {
    let file = try TaskFile(path: path)
    guard case .object(let object) = try file.parseDocument() else {
      throw TaskDataError(
        .invalidRecord, path: path, location: .jsonPath(""),
        message: "expected one JSON object that maps each id to its prediction")
    }
    return object.members.map { member in
      var keyPath = ""
      JSONNode.writeString(member.key, to: &keyPath)
      return RawPrediction(id: ExampleID(member.key), value: member.value, location: .jsonPath("[\(keyPath)]"), field: nil)
    }
  }

  /// Pairs each example id with its prediction. Throws for a repeated prediction id, for an id that
  /// names no example (ids of records the reader skipped are accepted and ignored), and for an
  /// example without a prediction.
  static func match(
    _ predictions: [RawPrediction], exampleIDs: [ExampleID], skippedIDs: Set<ExampleID>, path: String
  ) throws -> [ExampleID: RawPrediction] {
    let known = Set(exampleIDs)
    var byID: [ExampleID: RawPrediction] = [:]
    for prediction in predictions {
      if let first = byID[prediction.id] {
        throw TaskDataError(
          .duplicateID, path: path, location: prediction.location, field: prediction.field == nil ? nil : "id",
          message: "id \(prediction.id) has a second prediction (the first is at \(first.location))")
      }
      if !known.contains(prediction.id) {
        if skippedIDs.contains(prediction.id) { continue }
        throw TaskDataError(
          .unknownID, path: path, location: prediction.location, field: prediction.field == nil ? nil : "id",
          message: "id \(prediction.id) is not in the labelled data")
      }
      byID[prediction.id] = prediction
    }
    let missing = exampleIDs.filter { byID[$0] == nil }
    if let first = missing.first {
      let others = missing.count > 1 ? " and \(missing.count - 1) more ids" : ""
      throw TaskDataError(
        .missingPrediction, path: path, location: .file,
        message: "no prediction for id \(first)\(others) of the labelled data")
    }
    return byID
  }
}
