/// A parsed JSON value. Objects keep their keys in file order, and numbers keep their text so that
/// integer ids round-trip exactly.
enum JSONNode: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSONNode])
  case object(JSONObject)

  var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The value of an integer number, such as `3` or `-2`, but also `3.0` and `3e2`.
  var intValue: Int? {
    guard case .number(let text) = self else { return nil }
    if let value = Int(text) { return value }
    guard let double = Double(text), double.rounded() == double, abs(double) < 9.0e15 else { return nil }
    return Int(double)
  }

  var arrayValue: [JSONNode]? {
    if case .array(let value) = self { return value }
    return nil
  }

  var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The JSON type name for error messages: "a string", "an array".
  var typeDescription: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

/// A JSON object's members in file order. Lookup is linear, which suits the small records of task
/// files; ``dictionary()`` indexes large objects such as a predictions file.
struct JSONObject: Sendable, Hashable {
  struct Member: Sendable, Hashable {
    var key: String
    var value: JSONNode
  }

  var members: [Member]

  init(_ members: [Member] = []) {
    self.members = members
  }

  /// The value of the first member named `key`.
  subscript(key: String) -> JSONNode? {
    for member in members where member.key == key {
      return member.value
    }
    return nil
  }

  /// Returns the value at a dotted path such as `target.span1_text`, or nil when a step is missing or not
  /// an object.
  func value(atPath path: String) -> JSONNode? {
    var current = self
    let steps = path.split(separator: ".", omittingEmptySubsequences: false)
    for (index, step) in steps.enumerated() {
      guard let value = current[String(step)] else { return nil }
      if index == steps.count - 1 { return value }
      guard case .object(let inner) = value else { return nil }
      current = inner
    }
    return nil
  }
}
