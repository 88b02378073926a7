// MARK: - Spans to tags

extension EntityTag {
  /// Tags a text of `length` characters with `entities` marked in `scheme`. Returns the tags and
  /// the entities left out because of overlaps (always empty with ``OverlapPolicy/reject``,
  /// which throws instead).
  public static func encode(
    _ entities: [EntitySpan], length: Int, scheme: TagScheme, overlaps: OverlapPolicy = .keepLongest
  ) throws -> (tags: [EntityTag], dropped: [EntitySpan]) {
    for entity in entities where entity.start < 0 || entity.end > length || entity.start >= entity.end {
      throw EntityTaggingError.entityOutOfBounds(entity, length: length)
    }
    let (kept, dropped) = try resolveOverlaps(entities, policy: overlaps)
    var tags = [EntityTag](repeating: .outside, count: length)
    for entity in kept {
      if entity.end - entity.start == 1, scheme == .bioes {
        tags[entity.start] = .single(entity.type)
        continue
      }
      tags[entity.start] = .begin(entity.type)
      for position in (entity.start + 1)..<entity.end {
        tags[position] = .inside(entity.type)
      }
      if scheme == .bioes { tags[entity.end - 1] = .end(entity.type) }
    }
    return (tags, dropped)
  }

  private static func resolveOverlaps(
    _ entities: [EntitySpan], policy: OverlapPolicy
  ) throws -> (kept: [EntitySpan], dropped: [EntitySpan]) {
    let distinct = Array(Set(entities))
    switch policy {
    case .reject:
      // Sorted by start, an entity overlaps an earlier one exactly when it starts before the
      // largest end so far, and the entity with that end is one it overlaps.
      let sorted = distinct.sorted()
      var widest: EntitySpan?
      for entity in sorted {
        if let earlier = widest, entity.start < earlier.end {
          throw EntityTaggingError.overlappingEntities(earlier, entity)
        }
        if widest == nil || entity.end > widest?.end ?? 0 { widest = entity }
      }
      return (sorted, [])
    case .keepLongest:
      let byLength = distinct.sorted { left, right in
        let leftLength = left.end - left.start
        let rightLength = right.end - right.start
        return leftLength != rightLength ? leftLength > rightLength : left < right
      }
      var kept: [EntitySpan] = []
      var dropped: [EntitySpan] = []
      for entity in byLength {
        if kept.contains(where: { $0.range.overlaps(entity.range) }) {
          dropped.append(entity)
        } else {
          kept.append(entity)
        }
      }
      return (kept.sorted(), dropped.sorted())
    }
  }
}

// MARK: - Tags to spans

extension EntityTag {
  /// Collects the entities of a tag sequence in either scheme. Decoding is lenient, as conlleval is: an
  /// `I-` or `E-` tag whose type differs from the open entity's (or with none open) starts a new
  /// entity. An entity ends at `E-`, before `B-`, `S-` or `O`, and at a change of type.
  public static func decode(_ tags: [EntityTag]) -> [EntitySpan] {
    var entities: [EntitySpan] = []
    var open: (type: String, start: Int)?

    func close(at end: Int) {
      if let current = open {
        entities.append(EntitySpan(type: current.type, start: current.start, end: end))
        open = nil
      }
    }

    for (position, tag) in tags.enumerated() {
      switch tag {
      case .outside:
        close(at: position)
      case .begin(let type):
        close(at: position)
        open = (type, position)
      case .single(let type):
        close(at: position)
        entities.append(EntitySpan(type: type, start: position, end: position + 1))
      case .inside(let type):
        if open?.type != type {
          close(at: position)
          open = (type, position)
        }
      case .end(let type):
        if open?.type != type {
          close(at: position)
          open = (type, position)
        }
        close(at: position + 1)
      }
    }
    close(at: tags.count)
    return entities
  }

  /// Parses tag strings and decodes them. Throws ``EntityTaggingError/invalidTag(_:position:)``
  /// for a string that is not a tag.
  public static func decode(_ tags: [String]) throws -> [EntitySpan] {
    var parsed: [EntityTag] = []
    parsed.reserveCapacity(tags.count)
    for (position, text) in tags.enumerated() {
      guard let tag = EntityTag(text) else { throw EntityTaggingError.invalidTag(text, position: position) }
      parsed.append(tag)
    }
    return decode(parsed)
  }

  /// Returns the label list of a tagging model: `O`, then for each type in order its `B-`, `I-` tags and,
  /// for BIOES, its `E-` and `S-` tags.
  public static func labels(entityTypes: LabelSet, scheme: TagScheme) -> [String] {
    var labels = ["O"]
    for type in entityTypes.names {
      labels.append("B-" + type)
      labels.append("I-" + type)
      if scheme == .bioes {
        labels.append("E-" + type)
        labels.append("S-" + type)
      }
    }
    return labels
  }
}
