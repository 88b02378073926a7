import Foundation
import ShenzhouTasks
import ShenzhouTestSupport
import Testing

/// CLUENER2020 reading and BIO / BIOES conversion on the real files.
@Suite(.enabled(if: TaskFixtures.hasCLUEData, TaskFixtures.missingDataReason))
struct CLUENERFileTests {
  @Test func devEntitiesMatchPython() throws {
    let path = TaskFixtures.clue("cluener/dev.json")
    let dataset = try CLUEReader.readCLUENER(path: path)
    #expect(dataset.examples.count == 1343)
    let script = """
      import json, sys
      for line in open(sys.argv[1]):
          r = json.loads(line)
          spans = sorted({(s, e + 1, t) for t, m in r.get('label', {}).items() for ps in m.values() for s, e in ps})
          print(' '.join('%s[%d..<%d]' % (t, s, e) for s, e, t in spans))
      """
    let expected = try TaskFixtures.python(script, [path])
    #expect(expected.count == dataset.examples.count)
    for (example, line) in zip(dataset.examples, expected) {
      #expect(example.entities.map(\.description).joined(separator: " ") == line, "\(example.id)")
    }
    let first = dataset.examples[0]
    #expect(first.entities == [EntitySpan(type: "name", start: 0, end: 3), EntitySpan(type: "address", start: 15, end: 17)])
  }

  @Test func tagsRoundTripOnDev() throws {
    let dataset = try CLUEReader.readCLUENER(path: TaskFixtures.clue("cluener/dev.json"))
    for scheme in TagScheme.allCases {
      for example in dataset.examples {
        let length = example.text.unicodeScalars.count
        let (tags, dropped) = try EntityTag.encode(example.entities, length: length, scheme: scheme, overlaps: .reject)
        #expect(dropped.isEmpty)
        #expect(tags.count == length)
        #expect(EntityTag.decode(tags) == example.entities, "\(scheme) \(example.id)")
        #expect(try EntityTag.decode(tags.map(\.description)) == example.entities)
      }
    }
  }

  @Test func nestedTrainEntitiesAreDropped() throws {
    let dataset = try CLUEReader.readCLUENER(path: TaskFixtures.clue("cluener/train.json"))
    #expect(dataset.examples.count == 10748)
    let nested = try #require(dataset.examples.first { $0.text.hasPrefix("据了解，日前有媒体上刊发了题为《招商银行") })
    #expect(nested.entities.count == 3)
    let length = nested.text.unicodeScalars.count
    #expect(throws: EntityTaggingError.self) {
      try EntityTag.encode(nested.entities, length: length, scheme: .bio, overlaps: .reject)
    }
    let (tags, dropped) = try EntityTag.encode(nested.entities, length: length, scheme: .bioes)
    #expect(dropped.count == 2)
    #expect(EntityTag.decode(tags) == nested.entities.filter { !dropped.contains($0) })
    #expect(EntityTag.decode(tags).first?.end == 35)
  }
}

/// Tag conversion rules and CLUENER error paths.
struct EntityTaggingTests {
  @Test func encodesBothSchemes() throws {
    let entities = [EntitySpan(type: "name", start: 0, end: 3), EntitySpan(type: "game", start: 4, end: 5)]
    let bio = try EntityTag.encode(entities, length: 6, scheme: .bio).tags.map(\.description)
    #expect(bio == ["B-name", "I-name", "I-name", "O", "B-game", "O"])
    let bioes = try EntityTag.encode(entities, length: 6, scheme: .bioes).tags.map(\.description)
    #expect(bioes == ["B-name", "I-name", "E-name", "O", "S-game", "O"])
  }

  @Test func decodesLeniently() throws {
    let cases: [([String], [EntitySpan])] = [
      (["I-a", "I-a", "O"], [EntitySpan(type: "a", start: 0, end: 2)]),
      (["B-a", "I-b", "E-b"], [EntitySpan(type: "a", start: 0, end: 1), EntitySpan(type: "b", start: 1, end: 3)]),
      (["B-a", "B-a"], [EntitySpan(type: "a", start: 0, end: 1), EntitySpan(type: "a", start: 1, end: 2)]),
      (["E-a", "S-b", "B-c"], [
        EntitySpan(type: "a", start: 0, end: 1), EntitySpan(type: "b", start: 1, end: 2),
        EntitySpan(type: "c", start: 2, end: 3),
      ]),
      (["B-x-y", "E-x-y"], [EntitySpan(type: "x-y", start: 0, end: 2)]),
      ([], []),
    ]
    for (tags, expected) in cases {
      #expect(try EntityTag.decode(tags) == expected, "\(tags)")
    }
  }

  @Test func rejectsInvalidTags() {
    #expect(throws: EntityTaggingError.invalidTag("X-a", position: 1)) { try EntityTag.decode(["O", "X-a"]) }
    #expect(throws: EntityTaggingError.invalidTag("B-", position: 0)) { try EntityTag.decode(["B-"]) }
  }

  @Test func rejectsEntitiesOutsideText() {
    let entity = EntitySpan(type: "a", start: 2, end: 5)
    #expect(throws: EntityTaggingError.entityOutOfBounds(entity, length: 4)) {
      try EntityTag.encode([entity], length: 4, scheme: .bio)
    }
  }

  @Test func tagLabelsFollowTypeOrder() throws {
    let types = try LabelSet(names: ["name", "game"])
    #expect(EntityTag.labels(entityTypes: types, scheme: .bio) == ["O", "B-name", "I-name", "B-game", "I-game"])
    #expect(EntityTag.labels(entityTypes: types, scheme: .bioes).count == 9)
  }

  @Test func clueNERErrors() throws {
    let cases: [(String, String, TaskDataError.Kind)] = [
      (#"{"text": "彭小军", "label": {"person": {"彭小军": [[0, 2]]}}}"#, "label.person", .unknownLabel),
      (#"{"text": "彭小军", "label": {"name": {"彭小军": [[0, 3]]}}}"#, "label.name.彭小军[0]", .invalidRecord),
      (#"{"text": "彭小军", "label": {"name": {"彭小": [[1, 2]]}}}"#, "label.name.彭小[0]", .invalidRecord),
      (#"{"text": "彭小军", "label": {"name": {"彭小军": [0, 2]}}}"#, "label.name.彭小军[0]", .invalidRecord),
      (#"{"text": "彭小军", "label": {"name": ["彭小军"]}}"#, "label.name", .invalidRecord),
      (#"{"text": "彭小军", "label": []}"#, "label", .invalidRecord),
      (#"{"label": {}}"#, "text", .invalidRecord),
    ]
    for (line, field, kind) in cases {
      let path = try TaskFixtures.write(line)
      let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCLUENER(path: path) }
      #expect(error?.field == field, "\(line)")
      #expect(error?.kind == kind, "\(line)")
    }
    let mismatch = try TaskFixtures.write(#"{"text": "彭小军", "label": {"name": {"彭小": [[1, 2]]}}}"#)
    let error = #expect(throws: TaskDataError.self) { try CLUEReader.readCLUENER(path: mismatch) }
    #expect(error?.message == "the text at [1, 2] is \"小军\", not the mention \"彭小\"")
  }

  @Test func clueNEREmptyTextAndTestFile() throws {
    let path = try TaskFixtures.write("{\"text\": \"\", \"label\": {}}\n{\"id\": 5, \"text\": \"x\"}\n")
    #expect(throws: TaskDataError.self) { try CLUEReader.readCLUENER(path: path) }
    let dataset = try CLUEReader.readCLUENER(path: path, requireLabels: false)
    #expect(dataset.examples.map(\.id) == [0, 5])
    #expect(dataset.examples.allSatisfy { $0.entities.isEmpty })
  }
}
