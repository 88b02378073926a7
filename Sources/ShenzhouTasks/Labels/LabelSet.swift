/// The ordered label names of a classification task (or the entity types of a tagging task). A
/// label's index is its class id for the model.
public struct LabelSet: Sendable, Hashable {
  /// Label names as the data and the submission files write them, such as `"102"` or `"entailment"`.
  public let names: [String]
  /// A readable description of each label when the task has one, such as `news_entertainment` for
  /// TNEWS label `"102"`.
  public let descriptions: [String?]
  private let indexByName: [String: Int]

  /// Creates a label set. Throws ``LabelSetError`` when a name repeats or the description count
  /// differs from the name count.
  public init(names: [String], descriptions: [String?]? = nil) throws {
    var indexByName: [String: Int] = [:]
    for (index, name) in names.enumerated() {
      if indexByName[name] != nil { throw LabelSetError.duplicateLabel(name) }
      indexByName[name] = index
    }
    let descriptions = descriptions ?? Array(repeating: nil, count: names.count)
    guard descriptions.count == names.count else {
      throw LabelSetError.descriptionCountMismatch(names: names.count, descriptions: descriptions.count)
    }
    self.names = names
    self.descriptions = descriptions
    self.indexByName = indexByName
  }

  /// Creates a built-in label set whose names are known to be unique.
  init(builtIn names: [String], descriptions: [String?]? = nil) {
    self.names = names
    self.descriptions = descriptions ?? Array(repeating: nil, count: names.count)
    self.indexByName = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  public var count: Int { names.count }

  public var isEmpty: Bool { names.isEmpty }

  public func index(of name: String) -> Int? {
    indexByName[name]
  }

  public subscript(index: Int) -> String {
    names[index]
  }

  /// The names for error messages, shortened after 20.
  var summary: String {
    if names.count <= 20 { return names.joined(separator: ", ") }
    return names.prefix(20).joined(separator: ", ") + " and \(names.count - 20) more"
  }

  public static func == (lhs: LabelSet, rhs: LabelSet) -> Bool {
    lhs.names == rhs.names && lhs.descriptions == rhs.descriptions
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(names)
  }
}

/// An invalid label list passed in code.
public enum LabelSetError: Error, Sendable, Hashable, CustomStringConvertible {
  case duplicateLabel(String)
  case descriptionCountMismatch(names: Int, descriptions: Int)

  public var description: String {
    switch self {
    case .duplicateLabel(let name):
      "label \"\(name)\" appears twice in the label list"
    case .descriptionCountMismatch(let names, let descriptions):
      "\(descriptions) label descriptions given for \(names) labels"
    }
  }
}
