import Foundation

/// A JSON document as a value tree, with a parser that reports line and column and a writer with sorted keys.
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  public var doubleValue: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// The number as an Int when it is integral and in range.
  public var intValue: Int? {
    guard case .number(let value) = self, value.rounded() == value, Swift.abs(value) < 9.0e15 else { return nil }
    return Int(value)
  }

  public var boolValue: Bool? {
    if case .bool(let flag) = self { return flag }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  public var objectValue: [String: JSONValue]? {
    if case .object(let fields) = self { return fields }
    return nil
  }

  public subscript(key: String) -> JSONValue? {
    objectValue?[key]
  }

  public var description: String { serialized(pretty: false) }
}

/// A syntax error with its 1-based line and column.
public struct JSONSyntaxError: Error, CustomStringConvertible, Sendable {
  public let line: Int
  public let column: Int
  public let message: String

  public var description: String { "line \(line), column \(column): \(message)" }
}

// MARK: - Parsing

extension JSONValue {
  public static func parse(_ data: Data) throws -> JSONValue {
    try parse(bytes: [UInt8](data))
  }

  public static func parse(_ text: String) throws -> JSONValue {
    try parse(bytes: Array(text.utf8))
  }

  static func parse(bytes: [UInt8]) throws -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    if parser.position < bytes.count { throw parser.error("unexpected text after the JSON value") }
    return value
  }
}

private struct JSONParser {
  let bytes: [UInt8]
  var position = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
    // A UTF-8 byte order mark is allowed before the value.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
  }

  func error(_ message: String) -> JSONSyntaxError {
    var line = 1
    var column = 1
    for byte in bytes[..<Swift.min(position, bytes.count)] {
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return JSONSyntaxError(line: line, column: column, message: message)
  }

  mutating func skipWhitespace() {
    while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
  }

  mutating func parseValue(depth: Int) throws -> JSONValue {
    guard depth < 512 else { throw error("nesting deeper than 512 levels") }
    guard position < bytes.count else { throw error("unexpected end of input") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "N"): try expectLiteral("NaN"); return .number(.nan)
    case UInt8(ascii: "I"): try expectLiteral("Infinity"); return .number(.infinity)
    default: return .number(try parseNumber())
    }
  }

  mutating func expectLiteral(_ literal: String) throws {
    let expected = Array(literal.utf8)
    guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected
    else { throw error("invalid literal; expected \(literal)") }
    position += expected.count
  }

  mutating func parseObject(depth: Int) throws -> JSONValue {
    position += 1
    var fields: [String: JSONValue] = [:]
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .object(fields)
    }
    while true {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try parseString()
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after key") }
      position += 1
      skipWhitespace()
      fields[key] = try parseValue(depth: depth + 1)
      skipWhitespace()
      guard position < bytes.count else { throw error("unterminated object") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .object(fields)
      } else {
        throw error("expected ',' or '}' in object")
      }
    }
  }

  mutating func parseArray(depth: Int) throws -> JSONValue {
    position += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard position < bytes.count else { throw error("unterminated array") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .array(items)
      } else {
        throw error("expected ',' or ']' in array")
      }
    }
  }

  mutating func parseHex4() throws -> UInt32 {
    guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in \\u escape")
      }
      value = value * 16 + digit
      position += 1
    }
    return value
  }

  mutating func parseString() throws -> String {
    position += 1
    var buffer: [UInt8] = []
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        guard let text = String(validating: buffer, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
        return text
      }
      if byte == UInt8(ascii: "\\") {
        position += 1
        guard position < bytes.count else { break }
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try parseHex4()
          if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
          {
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate in \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          // A lone surrogate cannot be UTF-8; Python's json module would keep it, we substitute U+FFFD.
          let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
          buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
        default: throw error("invalid escape \\\(Character(Unicode.Scalar(escape)))")
        }
        continue
      }
      if byte < 0x20 { throw error("control character inside a string") }
      buffer.append(byte)
      position += 1
    }
    throw error("unterminated string")
  }

  mutating func parseNumber() throws -> Double {
    let start = position
    while position < bytes.count,
      bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+")
        || bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: "e")
        || bytes[position] == UInt8(ascii: "E") || (0x30...0x39).contains(bytes[position])
    {
      position += 1
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: "I"), position == start + 1,
      bytes[start] == UInt8(ascii: "-")
    {
      try expectLiteral("Infinity")
      return -.infinity
    }
    guard position > start, let text = String(bytes: bytes[start..<position], encoding: .utf8),
      let value = Double(text)
    else {
      position = start
      throw error("invalid value")
    }
    return value
  }
}

// MARK: - Writing

extension JSONValue {
  /// JSON text with object keys sorted; `pretty` indents by two spaces.
  public func serialized(pretty: Bool = true) -> String {
    var output = ""
    write(into: &output, indent: pretty ? 0 : nil)
    return output
  }

  private func write(into output: inout String, indent: Int?) {
    switch self {
    case .null: output += "null"
    case .bool(let flag): output += flag ? "true" : "false"
    case .number(let value): output += JSONValue.format(value)
    case .string(let text): JSONValue.writeString(text, into: &output)
    case .array(let items):
      if items.isEmpty {
        output += "[]"
        return
      }
      output += "["
      for (index, item) in items.enumerated() {
        if index > 0 { output += "," }
        if let indent { output += "\n" + String(repeating: " ", count: indent + 2) }
        item.write(into: &output, indent: indent.map { $0 + 2 })
      }
      if let indent { output += "\n" + String(repeating: " ", count: indent) }
      output += "]"
    case .object(let fields):
      if fields.isEmpty {
        output += "{}"
        return
      }
      output += "{"
      for (index, key) in fields.keys.sorted().enumerated() {
        if index > 0 { output += "," }
        if let indent { output += "\n" + String(repeating: " ", count: indent + 2) }
        JSONValue.writeString(key, into: &output)
        output += indent == nil ? ":" : ": "
        fields[key]!.write(into: &output, indent: indent.map { $0 + 2 })
      }
      if let indent { output += "\n" + String(repeating: " ", count: indent) }
      output += "}"
    }
  }

  /// Integral values print without a fraction; others in Swift's shortest round-trip form.
  static func format(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
    if value.rounded() == value, Swift.abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  static func writeString(_ text: String, into output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      default:
        if scalar.value < 0x20 {
          output += String(format: "\\u%04x", scalar.value)
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }
}

// MARK: - Ordered output

/// A JSON object that keeps its keys in the given order when written, for output formats whose documented field
/// order users read (JSON itself leaves object order open).
public struct OrderedJSONObject: Sendable {
  public var fields: [(String, OrderedJSON)]

  public init(_ fields: [(String, OrderedJSON)]) {
    self.fields = fields
  }

  public func serialized() -> String {
    var output = "{"
    for (index, (key, value)) in fields.enumerated() {
      if index > 0 { output += ", " }
      JSONValue.writeString(key, into: &output)
      output += ": "
      output += value.serialized()
    }
    return output + "}"
  }
}

/// A value inside an `OrderedJSONObject`.
public enum OrderedJSON: Sendable {
  case value(JSONValue)
  case object(OrderedJSONObject)
  case array([OrderedJSON])

  public func serialized() -> String {
    switch self {
    case .value(let value): value.serialized(pretty: false)
    case .object(let object): object.serialized()
    case .array(let items): "[" + items.map { $0.serialized() }.joined(separator: ", ") + "]"
    }
  }
}
