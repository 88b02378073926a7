import Foundation

/// The bytes of a task data file, with helpers to parse it as one JSON document or as JSON Lines.
struct TaskFile {
  let path: String
  let bytes: [UInt8]

  /// Reads the whole file. A UTF-8 byte order mark at the start is dropped.
  init(path: String) throws {
    self.path = path
    guard let data = FileManager.default.contents(atPath: path) else {
      let reason = FileManager.default.fileExists(atPath: path) ? "the file cannot be read" : "no such file"
      throw TaskDataError(.unreadableFile, path: path, location: .file, message: reason)
    }
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    self.bytes = bytes
  }

  // MARK: - Lines

  /// One line of the file: its 1-based number and its byte range without the line break.
  struct Line {
    var number: Int
    var range: Range<Int>
  }

  /// Splits the file into lines at "\n" with a "\r" before it dropped. A final line break does not
  /// start another line.
  func lines() -> [Line] {
    var lines: [Line] = []
    var start = 0
    var number = 1
    bytes.withUnsafeBufferPointer { buffer in
      for index in 0..<buffer.count where buffer[index] == 0x0A {
        var lineEnd = index
        if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        lines.append(Line(number: number, range: start..<lineEnd))
        number += 1
        start = index + 1
      }
      if start < buffer.count {
        var lineEnd = buffer.count
        if buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        lines.append(Line(number: number, range: start..<lineEnd))
      }
    }
    return lines
  }

  /// Returns whether a line contains only spaces and tabs.
  func isBlank(_ line: Line) -> Bool {
    bytes[line.range].allSatisfy { $0 == 0x20 || $0 == 0x09 }
  }

  /// Decodes a line, or throws an error naming the line when it is not valid UTF-8.
  func text(of line: Line) throws -> String {
    guard let text = String(validating: bytes[line.range], as: UTF8.self) else {
      throw TaskDataError(.invalidJSON, path: path, location: .line(line.number), message: "the line is not valid UTF-8")
    }
    return text
  }

  // MARK: - JSON

  /// Parses the whole file as one JSON document.
  func parseDocument() throws -> JSONNode {
    let result: Result<JSONNode, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
      do throws(JSONSyntaxError) {
        return .success(try JSONParser.parse(buffer, range: 0..<buffer.count))
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .success(let node): return node
    case .failure(let error): throw syntaxError(error, lineStart: 0, lineNumber: nil)
    }
  }

  /// Parses every non-blank line as one JSON object and calls `body` with the line number and the
  /// object. `body` may throw to stop.
  func forEachJSONLine(
    _ body: (_ line: Int, _ object: JSONObject) throws -> Void
  ) throws {
    for line in lines() where !isBlank(line) {
      let result: Result<JSONNode, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
        do throws(JSONSyntaxError) {
          return .success(try JSONParser.parse(buffer, range: line.range))
        } catch {
          return .failure(error)
        }
      }
      let node: JSONNode
      switch result {
      case .success(let value): node = value
      case .failure(let error): throw syntaxError(error, lineStart: line.range.lowerBound, lineNumber: line.number)
      }
      guard case .object(let object) = node else {
        throw TaskDataError(
          .invalidRecord, path: path, location: .line(line.number),
          message: "expected a JSON object on each line, found \(node.typeDescription)")
      }
      try body(line.number, object)
    }
  }

  /// Converts a parser error into one that names the line and the column in Unicode scalars.
  private func syntaxError(_ error: JSONSyntaxError, lineStart: Int, lineNumber: Int?) -> TaskDataError {
    var line = lineNumber ?? 1
    var start = lineStart
    let offset = min(error.offset, bytes.count)
    if lineNumber == nil {
      for index in 0..<offset where bytes[index] == 0x0A {
        line += 1
        start = index + 1
      }
    }
    // Count the scalars before the offset: every byte that is not a UTF-8 continuation byte.
    let column = bytes[start..<max(start, offset)].reduce(1) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    return TaskDataError(
      .invalidJSON, path: path, location: .lineAndColumn(line: line, column: column),
      message: "invalid JSON: \(error.message)")
  }
}
