/// A typed entity mention as a half-open range of Unicode scalars of its text. CLUENER writes
/// `[start, end]` with `end` inclusive, so the mention `[0, 2]` is `start: 0, end: 3` here.
public struct EntitySpan: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var type: String
  public var start: Int
  /// The first position after the mention.
  public var end: Int

  public init(type: String, start: Int, end: Int) {
    self.type = type
    self.start = start
    self.end = end
  }

  public var range: Range<Int> { start..<end }

  /// Orders by start, then end, then type.
  public static func < (lhs: EntitySpan, rhs: EntitySpan) -> Bool {
    (lhs.start, lhs.end, lhs.type) < (rhs.start, rhs.end, rhs.type)
  }

  public var description: String { "\(type)[\(start)..<\(end)]" }
}

/// One sentence of a named entity recognition task with its entities.
public struct EntityExample: Sendable, Hashable {
  public var id: ExampleID
  public var text: String
  /// Entities sorted by position. They may overlap or nest (the CLUENER training set has nested
  /// mentions). Empty in an unlabelled file.
  public var entities: [EntitySpan]

  public init(id: ExampleID, text: String, entities: [EntitySpan]) {
    self.id = id
    self.text = text
    self.entities = entities
  }
}

/// The sentences of one NER file with the entity types allowed in it.
public struct EntityDataset: Sendable {
  public var entityTypes: LabelSet
  public var examples: [EntityExample]
}
