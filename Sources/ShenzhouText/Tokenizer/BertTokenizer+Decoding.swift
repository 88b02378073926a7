// MARK: - Decoding

extension BertTokenizer {
  /// Returns the token strings of `ids`; ids without a token are skipped.
  public func tokens(forIDs ids: some Sequence<Int32>) -> [String] {
    ids.compactMap { token(forID: $0) }
  }

  /// Turns ids back into text the way the Hugging Face WordPiece decoder does: tokens are joined
  /// with spaces, a continuation prefix (`##`) glues a piece to the previous one, and a space before
  /// `.`, `?`, `!` and `,` is removed. Ids without a token are skipped.
  ///
  /// The text is not the original: it is normalized (lowercased, accents stripped), CJK characters
  /// come out separated by spaces and unknown words read `[UNK]`. Use the offsets of an `Encoding`
  /// to recover original text.
  public func decode(_ ids: some Sequence<Int32>, skipSpecialTokens: Bool = false) -> String {
    var text = ""
    var isFirst = true
    for id in ids {
      if skipSpecialTokens && specialTokenIDs.contains(id) { continue }
      guard let token = token(forID: id) else { continue }
      var piece: String
      if isFirst {
        piece = token
      } else if token.hasPrefix(options.continuationPrefix) {
        piece = String(token.dropFirst(options.continuationPrefix.count))
      } else {
        piece = " " + token
      }
      isFirst = false
      if piece.contains(" ") { piece = Self.cleanUpSpaces(piece) }
      text += piece
    }
    return text
  }

  /// Applies the `cleanup` replacements of the Hugging Face WordPiece decoder (tokenizers 0.23.3)
  /// to one token, as that decoder does.
  private static func cleanUpSpaces(_ piece: String) -> String {
    piece
      .replacing(" .", with: ".")
      .replacing(" ?", with: "?")
      .replacing(" !", with: "!")
      .replacing(" ,", with: ",")
      .replacing(" ' ", with: "'")
      .replacing(" n't", with: "n't")
      .replacing(" 'm", with: "'m")
      .replacing(" do not", with: " don't")
      .replacing(" 's", with: "'s")
      .replacing(" 've", with: "'ve")
      .replacing(" 're", with: "'re")
  }
}
