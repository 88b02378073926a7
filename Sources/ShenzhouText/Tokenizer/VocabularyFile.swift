import Foundation

/// Reader of `vocab.txt`: one token per line, the zero-based line number is the token id.
enum VocabularyFile {
  /// Reads the entries of a vocabulary file. Lines end at `\n`, `\r\n` or a lone `\r`, as in
  /// Python's universal-newline mode that Hugging Face `load_vocab` reads with, and a final line
  /// break does not start another entry.
  static func read(path: String) throws(TokenizerError) -> [(token: String, id: Int32)] {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .fileNotReadable(path: path, reason: Self.describe(error))
    }
    var entries: [(token: String, id: Int32)] = []
    var lineStart = 0
    var failure: TokenizerError? = nil
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var position = 0
      func finishLine(end: Int) -> Bool {
        guard let token = String(validating: bytes[lineStart..<end], as: UTF8.self) else {
          failure = .invalidFile(
            path: path, location: "line \(entries.count + 1)",
            reason: "the line is not valid UTF-8; save the vocabulary as UTF-8")
          return false
        }
        entries.append((token, Int32(entries.count)))
        return true
      }
      while position < bytes.count {
        let byte = bytes[position]
        if byte == 0x0A || byte == 0x0D {
          guard finishLine(end: position) else { return }
          position += byte == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A ? 2 : 1
          lineStart = position
        } else {
          position += 1
        }
      }
      if lineStart < bytes.count { _ = finishLine(end: bytes.count) }
    }
    if let failure { throw failure }
    guard !entries.isEmpty else {
      throw .invalidFile(path: path, location: "line 1", reason: "the vocabulary is empty")
    }
    return entries
  }

  static func describe(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError {
      return underlying.localizedDescription
    }
    return (error as NSError).localizedDescription
  }
}
