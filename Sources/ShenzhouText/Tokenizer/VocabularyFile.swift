import Foundation

/// Reader of `vocab.txt`: one token per line, the zero-based line number is the token id.
enum VocabularyFile {
  /// Reads the entries of a vocabulary file the way `WordPiece.read_file` of `tokenizers` does,
  /// which is the loader behind transformers 5 `BertTokenizer`.
  ///
  /// Lines end at `\n` only. Trailing whitespace, `\r` included, is trimmed from each line, and a
  /// final line break does not start another entry. A lone `\r` inside a line stays in the token.
  static func read(path: String) throws(TokenizerError) -> [(token: String, id: Int32)] {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .fileNotReadable(path: path, reason: Self.describe(error))
    }
    var entries: [(token: String, id: Int32)] = []
    var failure: TokenizerError? = nil
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var lineStart = 0
      while lineStart < bytes.count {
        var lineEnd = lineStart
        while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
        guard let line = String(validating: bytes[lineStart..<lineEnd], as: UTF8.self) else {
          failure = .invalidFile(
            path: path, location: "line \(entries.count + 1)",
            reason: "the line is not valid UTF-8; save the vocabulary as UTF-8")
          return
        }
        entries.append((trimmingTrailingWhitespace(line), Int32(entries.count)))
        lineStart = lineEnd + 1
      }
    }
    if let failure { throw failure }
    guard !entries.isEmpty else {
      throw .invalidFile(path: path, location: "line 1", reason: "the vocabulary is empty")
    }
    return entries
  }

  /// Removes trailing scalars with the Unicode White_Space property, as Rust `str::trim_end` does.
  private static func trimmingTrailingWhitespace(_ line: String) -> String {
    let scalars = line.unicodeScalars
    var end = scalars.endIndex
    while end > scalars.startIndex {
      let previous = scalars.index(before: end)
      guard BertCharacterTable.shared.flags(scalars[previous].value).contains(.whitespace) else { break }
      end = previous
    }
    return end == scalars.endIndex ? line : String(scalars[..<end])
  }

  static func describe(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError {
      return underlying.localizedDescription
    }
    return (error as NSError).localizedDescription
  }
}
