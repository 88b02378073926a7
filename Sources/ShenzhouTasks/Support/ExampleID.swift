/// The id of a record, question or blank as the data file writes it. Ids compare by their text, so
/// the number `7` and the string `"7"` are the same id, and submission files write back a number
/// when the data file had one.
public struct ExampleID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral,
  ExpressibleByIntegerLiteral
{
  public let text: String
  /// Whether the id was a JSON number (or a record position), so that output writes it unquoted.
  public let isNumber: Bool

  public init(_ text: String) {
    self.text = text
    self.isNumber = false
  }

  public init(_ number: Int) {
    self.text = String(number)
    self.isNumber = true
  }

  public init(stringLiteral value: String) {
    self.init(value)
  }

  public init(integerLiteral value: Int) {
    self.init(value)
  }

  public static func == (lhs: ExampleID, rhs: ExampleID) -> Bool {
    lhs.text == rhs.text
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(text)
  }

  /// Numbers before strings, numbers by value, strings by text.
  public static func < (lhs: ExampleID, rhs: ExampleID) -> Bool {
    switch (Int(lhs.text), Int(rhs.text)) {
    case (let left?, let right?): left < right
    case (.some, nil): true
    case (nil, .some): false
    case (nil, nil): lhs.text < rhs.text
    }
  }

  public var description: String { text }

  var jsonNode: JSONNode {
    isNumber ? .number(text) : .string(text)
  }
}
