import Testing

@testable import ShenzhouTasks

struct JSONParserTests {
  private func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
    try JSONParser.parse(Array(text.utf8))
  }

  @Test func parsesNestedValues() throws {
    let node = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": ""} "#)
    let object = try #require(node.objectValue)
    #expect(object.members.map(\.key) == ["a", "b", "e"])
    #expect(object["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
    #expect(object.value(atPath: "b.c") == .string("d"))
    #expect(object["e"] == .string(""))
  }

  @Test func decodesEscapes() throws {
    let node = try parse(#""a\"b\\c\/d\n\t\u4e2d\ud83d\ude00""#)
    #expect(node == .string("a\"b\\c/d\n\t中😀"))
  }

  @Test func integerValues() throws {
    #expect(try parse("113").intValue == 113)
    #expect(try parse("3.0").intValue == 3)
    #expect(try parse("3.5").intValue == nil)
    #expect(try parse("\"3\"").intValue == nil)
  }

  @Test func rejectsInvalidJSON() {
    let cases: [(String, String)] = [
      ("{\"a\": 1,}", "quoted object key"),
      ("[1, 2", "unterminated array"),
      ("{\"a\" 1}", "\":\""),
      ("\"abc", "unterminated string"),
      ("01", "leading zero"),
      ("tru", "invalid literal"),
      ("\"\\x\"", "invalid escape"),
      ("\"\\ud800\"", "lone high surrogate"),
      ("1 2", "after the JSON value"),
      ("", "end of the input"),
      ("\"a\u{01}b\"", "control character"),
    ]
    for (text, expected) in cases {
      do {
        _ = try parse(text)
        Issue.record("parsed invalid JSON \(text)")
      } catch {
        #expect(error.message.contains(expected), "\(text): \(error.message)")
      }
    }
  }

  @Test func rejectsDeepNesting() {
    let text = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    #expect(throws: JSONSyntaxError.self) { try parse(text) }
  }

  @Test func rejectsInvalidUTF8InStrings() {
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
  }

  @Test func writesEscapedCompactJSON() throws {
    let node = JSONNode.object(
      JSONObject([.init(key: "k\"", value: .array([.string("中\n\u{01}"), .integer(3), .decimal(12.345678)]))]))
    #expect(node.serialized() == #"{"k\"": ["中\n\u0001", 3, 12.3457]}"#)
    #expect(try parse(node.serialized()) == .object(JSONObject([.init(key: "k\"", value: .array([.string("中\n\u{01}"), .number("3"), .number("12.3457")]))])))
  }

  @Test func syntaxErrorNamesLineAndColumn() throws {
    let path = try TaskFixtures.write("{\"a\": 1}\n{\"b\": 中}\n", name: "bad.json")
    let file = try TaskFile(path: path)
    let error = #expect(throws: TaskDataError.self) {
      try file.forEachJSONLine { _, _ in }
    }
    #expect(error?.kind == .invalidJSON)
    #expect(error?.location == .lineAndColumn(line: 2, column: 7))
    #expect(error?.description.contains("bad.json, line 2, column 7") == true)
  }

  @Test func documentErrorCountsLines() throws {
    let path = try TaskFixtures.write("{\n  \"data\": [\n    1,\n    ]\n}\n", name: "doc.json")
    let error = #expect(throws: TaskDataError.self) { try TaskFile(path: path).parseDocument() }
    #expect(error?.location == .lineAndColumn(line: 4, column: 5))
  }
}
