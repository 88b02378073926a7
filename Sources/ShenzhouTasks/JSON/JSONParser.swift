/// A JSON syntax error at a byte offset of the parsed buffer.
struct JSONSyntaxError: Error, Sendable {
  var offset: Int
  var message: String
}

/// A strict RFC 8259 parser over UTF-8 bytes. It rejects trailing commas, comments, invalid UTF-8
/// in strings, lone surrogate escapes and nesting deeper than ``maximumDepth``.
struct JSONParser: ~Copyable {
  static let maximumDepth = 512

  private let bytes: UnsafeBufferPointer<UInt8>
  private var index: Int
  private let end: Int
  private var depth = 0

  private init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
    self.bytes = bytes
    self.index = range.lowerBound
    self.end = range.upperBound
  }

  /// Parses exactly one JSON value in `range` of `bytes`, allowing whitespace around it.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) throws(JSONSyntaxError) -> JSONNode {
    var parser = JSONParser(bytes: bytes, range: range)
    parser.skipWhitespace()
    guard parser.index < parser.end else {
      throw JSONSyntaxError(offset: parser.index, message: "expected a JSON value, found the end of the input")
    }
    let value = try parser.parseValue()
    parser.skipWhitespace()
    guard parser.index == parser.end else {
      throw JSONSyntaxError(offset: parser.index, message: "unexpected text after the JSON value")
    }
    return value
  }

  /// Parses a whole byte array as one JSON value.
  static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
    let result: Result<JSONNode, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
      do throws(JSONSyntaxError) {
        return .success(try parse(buffer, range: 0..<buffer.count))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  // MARK: - Values

  private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
    guard index < end else { throw failure("expected a JSON value, found the end of the input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return try parseLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw failure("expected a JSON value, found \(describeByte(bytes[index]))")
    }
  }

  private mutating func parseObject() throws(JSONSyntaxError) -> JSONNode {
    try enterContainer()
    index += 1
    var members: [JSONObject.Member] = []
    skipWhitespace()
    if index < end, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(JSONObject(members))
    }
    while true {
      skipWhitespace()
      guard index < end, bytes[index] == UInt8(ascii: "\"") else {
        throw failure("expected a quoted object key")
      }
      let key = try parseString()
      skipWhitespace()
      try expect(UInt8(ascii: ":"), "expected \":\" after the object key \"\(key)\"")
      skipWhitespace()
      let value = try parseValue()
      members.append(JSONObject.Member(key: key, value: value))
      skipWhitespace()
      guard index < end else { throw failure("unterminated object, expected \",\" or \"}\"") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "}"), "expected \",\" or \"}\" in the object")
      depth -= 1
      return .object(JSONObject(members))
    }
  }

  private mutating func parseArray() throws(JSONSyntaxError) -> JSONNode {
    try enterContainer()
    index += 1
    var elements: [JSONNode] = []
    skipWhitespace()
    if index < end, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue())
      skipWhitespace()
      guard index < end else { throw failure("unterminated array, expected \",\" or \"]\"") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "]"), "expected \",\" or \"]\" in the array")
      depth -= 1
      return .array(elements)
    }
  }

  private mutating func parseLiteral(_ word: StaticString, _ value: JSONNode) throws(JSONSyntaxError) -> JSONNode {
    let count = word.utf8CodeUnitCount
    guard end - index >= count else { throw failure("invalid literal, expected \(word)") }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      throw failure("invalid literal, expected \(word)")
    }
    index += count
    return value
  }

  private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNode {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < end, isDigit(bytes[index]) else { throw failure("invalid number: expected a digit") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < end, isDigit(bytes[index]) { throw failure("invalid number: leading zero") }
    } else {
      while index < end, isDigit(bytes[index]) { index += 1 }
    }
    if index < end, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < end, isDigit(bytes[index]) else { throw failure("invalid number: expected a digit after \".\"") }
      while index < end, isDigit(bytes[index]) { index += 1 }
    }
    if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < end, isDigit(bytes[index]) else { throw failure("invalid number: expected an exponent") }
      while index < end, isDigit(bytes[index]) { index += 1 }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    return .number(text)
  }

  // MARK: - Strings

  private mutating func parseString() throws(JSONSyntaxError) -> String {
    index += 1
    let start = index
    while index < end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        guard let text = String(validating: raw, as: UTF8.self) else {
          throw JSONSyntaxError(offset: start, message: "the string is not valid UTF-8")
        }
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw failure("unescaped control character in a string") }
      index += 1
    }
    guard index < end else { throw JSONSyntaxError(offset: start - 1, message: "unterminated string") }
    return try parseEscapedString(from: start)
  }

  /// Decodes a string with backslash escapes (the slow path), collecting the decoded bytes.
  private mutating func parseEscapedString(from start: Int) throws(JSONSyntaxError) -> String {
    var decoded: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    while index < end {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        guard let text = String(validating: decoded, as: UTF8.self) else {
          throw JSONSyntaxError(offset: start, message: "the string is not valid UTF-8")
        }
        return text
      case UInt8(ascii: "\\"):
        index += 1
        guard index < end else { break }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
          let scalar = try parseUnicodeEscape()
          decoded.append(contentsOf: String(Character(scalar)).utf8)
        default:
          index -= 1
          throw failure("invalid escape sequence \"\\\(Character(Unicode.Scalar(escape)))\" in a string")
        }
      default:
        if byte < 0x20 { throw failure("unescaped control character in a string") }
        decoded.append(byte)
        index += 1
      }
    }
    throw JSONSyntaxError(offset: start - 1, message: "unterminated string")
  }

  /// Decodes the hex digits after `\u`, joining a surrogate pair written as two escapes.
  private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
    let first = try parseHexQuad()
    if (0xD800...0xDBFF).contains(first) {
      guard end - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
        throw failure("lone high surrogate escape in a string")
      }
      index += 2
      let second = try parseHexQuad()
      guard (0xDC00...0xDFFF).contains(second) else { throw failure("invalid low surrogate escape in a string") }
      let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
      guard let scalar = Unicode.Scalar(value) else { throw failure("invalid surrogate pair in a string") }
      return scalar
    }
    guard let scalar = Unicode.Scalar(first) else { throw failure("lone low surrogate escape in a string") }
    return scalar
  }

  private mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
    guard end - index >= 4 else { throw failure("expected four hex digits after \\u") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw failure("expected four hex digits after \\u")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  // MARK: - Helpers

  private mutating func enterContainer() throws(JSONSyntaxError) {
    depth += 1
    if depth > Self.maximumDepth {
      throw failure("JSON nested deeper than \(Self.maximumDepth) levels")
    }
  }

  private mutating func skipWhitespace() {
    while index < end {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func expect(_ byte: UInt8, _ message: String) throws(JSONSyntaxError) {
    guard index < end, bytes[index] == byte else { throw failure(message) }
    index += 1
  }

  private func failure(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(offset: index, message: message)
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private func describeByte(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
    return "byte 0x" + String(byte, radix: 16, uppercase: true)
  }
}
