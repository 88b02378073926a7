/// A JSON value as the safetensors header and the shard index need it: objects keep their
/// keys in file order, duplicates included, so callers can reject a name listed twice.
enum SafeTensorsJSON: Equatable {
  case object([(key: String, value: SafeTensorsJSON)])
  case array([SafeTensorsJSON])
  case string(String)
  /// A number without fraction or exponent that fits in `Int`.
  case integer(Int)
  case number(Double)
  case bool(Bool)
  case null

  static func == (lhs: SafeTensorsJSON, rhs: SafeTensorsJSON) -> Bool {
    switch (lhs, rhs) {
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    case (.array(let a), .array(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.integer(let a), .integer(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.bool(let a), .bool(let b)): return a == b
    case (.null, .null): return true
    default: return false
    }
  }

  /// The JSON type name for error messages.
  var typeName: String {
    switch self {
    case .object: "an object"
    case .array: "an array"
    case .string: "a string"
    case .integer: "an integer"
    case .number: "a number"
    case .bool: "a boolean"
    case .null: "null"
    }
  }
}

/// A JSON syntax error with its 1-based line and column.
struct SafeTensorsJSONSyntaxError: Error {
  let message: String
  let line: Int
  let column: Int

  var description: String { "line \(line), column \(column): \(message)" }
}

// MARK: - Parser

/// Parses RFC 8259 JSON from UTF-8 bytes. Whitespace may surround the value, but anything
/// else after it is an error.
struct SafeTensorsJSONParser {
  /// Deeper nesting is rejected so that a hostile header cannot exhaust the stack.
  static let maxDepth = 64

  private let bytes: [UInt8]
  private var position = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  static func parse(_ bytes: [UInt8]) throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
    var parser = SafeTensorsJSONParser(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.position == bytes.count else {
      throw parser.error("unexpected text after the top-level value")
    }
    return value
  }

  private mutating func parseValue(depth: Int) throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
    guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels") }
    guard position < bytes.count else { throw error("unexpected end of JSON") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("unexpected character '\(Unicode.Scalar(bytes[position]))'")
    }
  }

  private mutating func parseObject(depth: Int) throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
    position += 1
    var members: [(key: String, value: SafeTensorsJSON)] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try parseString()
      skipWhitespace()
      guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
      position += 1
      skipWhitespace()
      members.append((key, try parseValue(depth: depth + 1)))
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"): position += 1; return .object(members)
      default: throw error("expected ',' or '}' in an object")
      }
    }
  }

  private mutating func parseArray(depth: Int) throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
    position += 1
    var elements: [SafeTensorsJSON] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      position += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"): position += 1; return .array(elements)
      default: throw error("expected ',' or ']' in an array")
      }
    }
  }

  private mutating func parseString() throws(SafeTensorsJSONSyntaxError) -> String {
    position += 1
    var scalars: [UInt8] = []
    while true {
      guard position < bytes.count else { throw error("unterminated string") }
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: "\""):
        position += 1
        guard let text = String(validating: scalars, as: UTF8.self) else {
          throw error("string is not valid UTF-8")
        }
        return text
      case UInt8(ascii: "\\"):
        position += 1
        try parseEscape(into: &scalars)
      case 0..<0x20:
        throw error("control character in a string; escape it")
      default:
        scalars.append(byte)
        position += 1
      }
    }
  }

  private mutating func parseEscape(into output: inout [UInt8]) throws(SafeTensorsJSONSyntaxError) {
    guard position < bytes.count else { throw error("unterminated escape") }
    let byte = bytes[position]
    position += 1
    let simple: UInt8? =
      switch byte {
      case UInt8(ascii: "\""): UInt8(ascii: "\"")
      case UInt8(ascii: "\\"): UInt8(ascii: "\\")
      case UInt8(ascii: "/"): UInt8(ascii: "/")
      case UInt8(ascii: "b"): 0x08
      case UInt8(ascii: "f"): 0x0C
      case UInt8(ascii: "n"): 0x0A
      case UInt8(ascii: "r"): 0x0D
      case UInt8(ascii: "t"): 0x09
      default: nil
      }
    if let simple {
      output.append(simple)
      return
    }
    guard byte == UInt8(ascii: "u") else { throw error("invalid escape '\\\(Unicode.Scalar(byte))'") }

    var value = try parseHexQuad()
    if (0xD800..<0xDC00).contains(value) {
      guard peek() == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
      else { throw error("unpaired UTF-16 surrogate in \\u escape") }
      position += 2
      let low = try parseHexQuad()
      guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
      value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
    }
    guard let scalar = Unicode.Scalar(value) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
    output.append(contentsOf: String(Character(scalar)).utf8)
  }

  private mutating func parseHexQuad() throws(SafeTensorsJSONSyntaxError) -> UInt32 {
    guard position + 4 <= bytes.count else { throw error("incomplete \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("invalid hex digit in \\u escape")
      }
      value = value << 4 | UInt32(digit)
      position += 1
    }
    return value
  }

  private mutating func parseNumber() throws(SafeTensorsJSONSyntaxError) -> SafeTensorsJSON {
    let start = position
    var isInteger = true
    if peek() == UInt8(ascii: "-") { position += 1 }
    guard let first = peek(), isDigit(first) else { throw error("invalid number") }
    if first == UInt8(ascii: "0") {
      position += 1
      if let next = peek(), isDigit(next) { throw error("invalid number: leading zero") }
    } else {
      skipDigits()
    }
    if peek() == UInt8(ascii: ".") {
      isInteger = false
      position += 1
      guard let next = peek(), isDigit(next) else { throw error("invalid number: no digits after '.'") }
      skipDigits()
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      isInteger = false
      position += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
      guard let next = peek(), isDigit(next) else { throw error("invalid number: no digits in the exponent") }
      skipDigits()
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    if isInteger, let value = Int(text) {
      return .integer(value)
    }
    guard let value = Double(text) else { throw error("invalid number \(text)") }
    return .number(value)
  }

  private mutating func expectLiteral(_ literal: StaticString) throws(SafeTensorsJSONSyntaxError) {
    let expected = Array(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected
    else { throw error("invalid literal; expected \(literal)") }
    position += expected.count
  }

  // MARK: - Helpers

  private func peek() -> UInt8? {
    position < bytes.count ? bytes[position] : nil
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func skipDigits() {
    while let byte = peek(), isDigit(byte) { position += 1 }
  }

  private mutating func skipWhitespace() {
    while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
      position += 1
    }
  }

  private func error(_ message: String) -> SafeTensorsJSONSyntaxError {
    var line = 1
    var column = 1
    for byte in bytes[..<min(position, bytes.count)] {
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return SafeTensorsJSONSyntaxError(message: message, line: line, column: column)
  }
}
