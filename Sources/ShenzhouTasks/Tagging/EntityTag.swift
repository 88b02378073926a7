/// The two character-level tagging schemes for entities.
public enum TagScheme: String, Sendable, Hashable, CaseIterable {
  /// `B-type` on the first character, `I-type` on the rest, `O` outside.
  case bio
  /// Like BIO, but `E-type` on the last character of a longer mention and `S-type` on a
  /// one-character mention.
  case bioes
}

/// One character's tag.
public enum EntityTag: Sendable, Hashable, CustomStringConvertible {
  case outside
  case begin(String)
  case inside(String)
  case end(String)
  case single(String)

  /// Parses `O`, `B-type`, `I-type`, `E-type` or `S-type` (the type may contain "-"), or returns
  /// nil for anything else.
  public init?(_ text: String) {
    if text == "O" {
      self = .outside
      return
    }
    let scalars = text.unicodeScalars
    guard scalars.count > 2, scalars.dropFirst().first == "-" else { return nil }
    let type = String(text.unicodeScalars.dropFirst(2))
    switch scalars.first {
    case "B": self = .begin(type)
    case "I": self = .inside(type)
    case "E": self = .end(type)
    case "S": self = .single(type)
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .outside: "O"
    case .begin(let type): "B-" + type
    case .inside(let type): "I-" + type
    case .end(let type): "E-" + type
    case .single(let type): "S-" + type
    }
  }

  /// The entity type, nil for `O`.
  public var type: String? {
    switch self {
    case .outside: nil
    case .begin(let type), .inside(let type), .end(let type), .single(let type): type
    }
  }
}

/// Invalid input to the tagging functions.
public enum EntityTaggingError: Error, Sendable, Hashable, CustomStringConvertible {
  /// An entity that is empty or reaches past the text.
  case entityOutOfBounds(EntitySpan, length: Int)
  /// Two entities share characters and the overlap policy is ``OverlapPolicy/reject``.
  case overlappingEntities(EntitySpan, EntitySpan)
  /// A tag string that is not `O` or `B-`, `I-`, `E-`, `S-` plus a type.
  case invalidTag(String, position: Int)

  public var description: String {
    switch self {
    case .entityOutOfBounds(let entity, let length):
      "entity \(entity) is empty or outside a text of \(length) characters"
    case .overlappingEntities(let first, let second):
      "entities \(first) and \(second) overlap, and one tag per character cannot show both"
    case .invalidTag(let tag, let position):
      "invalid tag \"\(tag)\" at position \(position), expected O or B-, I-, E-, S- followed by a type"
    }
  }
}

/// The handling of entities that share characters, which one tag per character cannot show.
public enum OverlapPolicy: Sendable, Hashable {
  /// Throw ``EntityTaggingError/overlappingEntities(_:_:)``.
  case reject
  /// Keep the longest entities: go from longest to shortest (earlier first on ties) and drop each
  /// entity that overlaps one already kept.
  case keepLongest
}
