// MARK: - CLUENER2020

extension CLUEReader {
  /// Reads CLUENER2020: `text` and `label`, which maps an entity type to mentions, and each mention
  /// to a list of `[start, end]` positions with `end` inclusive, counted in Unicode scalars. Each
  /// mention must equal the text at its positions, and each type must be in `entityTypes`. The
  /// entities come back as half-open ``EntitySpan``s, sorted, with repeats removed. Nested or
  /// overlapping mentions are kept.
  public static func readCLUENER(
    path: String, entityTypes: LabelSet = TaskSpec.cluener.labels, requireLabels: Bool = true
  ) throws -> EntityDataset {
    let file = try TaskFile(path: path)
    var examples: [EntityExample] = []
    var ids = IDRegistry(path: path)
    var position = 0
    try file.forEachJSONLine { line, object in
      let fields = RecordFields(path: path, location: .line(line), object: object)
      let id = try fields.id(["id"], fallback: position)
      position += 1
      try ids.register(id, at: .line(line), field: "id")
      let text = try fields.string("text")
      var entities: [EntitySpan] = []
      if fields.hasValue("label") {
        let label = try fields.object("label")
        entities = try nerEntities(label, fieldPrefix: "label", text: Array(text.unicodeScalars), types: entityTypes, fields: fields)
      } else if requireLabels {
        throw fields.invalid("label", "missing label (pass requireLabels: false to read a test file)")
      }
      examples.append(EntityExample(id: id, text: text, entities: entities))
    }
    return EntityDataset(entityTypes: entityTypes, examples: examples)
  }

  /// Converts a CLUENER label object (type → mention → [[start, end]]) into sorted, distinct spans.
  static func nerEntities(
    _ label: JSONObject, fieldPrefix: String, text: [Unicode.Scalar], types: LabelSet, fields: RecordFields
  ) throws -> [EntitySpan] {
    var entities: Set<EntitySpan> = []
    for typeMember in label.members {
      let type = typeMember.key
      let typeField = "\(fieldPrefix).\(type)"
      guard types.index(of: type) != nil else {
        throw fields.unknownLabel(typeField, "entity type \"\(type)\" is not in the type set (\(types.summary))")
      }
      guard case .object(let mentions) = typeMember.value else {
        throw fields.invalid(typeField, "expected an object of mentions, found \(typeMember.value.typeDescription)")
      }
      for mention in mentions.members {
        let mentionField = "\(typeField).\(mention.key)"
        guard case .array(let positions) = mention.value else {
          throw fields.invalid(mentionField, "expected a list of [start, end] pairs, found \(mention.value.typeDescription)")
        }
        let mentionScalars = Array(mention.key.unicodeScalars)
        for (index, pair) in positions.enumerated() {
          let pairField = "\(mentionField)[\(index)]"
          guard case .array(let bounds) = pair, bounds.count == 2, let start = bounds[0].intValue,
            let last = bounds[1].intValue
          else {
            throw fields.invalid(pairField, "expected [start, end] with integer positions")
          }
          guard start >= 0, start <= last, last < text.count else {
            throw fields.invalid(
              pairField, "[\(start), \(last)] is not a valid inclusive span of a text of \(text.count) characters")
          }
          guard Array(text[start...last]) == mentionScalars else {
            let found = String(String.UnicodeScalarView(text[start...last]))
            throw fields.invalid(
              pairField, "the text at [\(start), \(last)] is \"\(found)\", not the mention \"\(mention.key)\"")
          }
          entities.insert(EntitySpan(type: type, start: start, end: last + 1))
        }
      }
    }
    return entities.sorted()
  }
}
