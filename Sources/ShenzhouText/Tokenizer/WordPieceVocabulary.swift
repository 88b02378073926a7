/// WordPiece vocabulary: token strings by id and the prefix trees that WordPiece matching walks.
struct WordPieceVocabulary: Sendable {
  /// Token string for each id. Nil marks an id that no entry uses (possible in `tokenizer.json`).
  let tokens: [String?]
  let ids: [String: Int32]
  let trie: WordPieceTrie

  /// Builds the vocabulary from `(token, id)` entries. When a token appears twice the later entry's
  /// id wins and the earlier id has no token, as in Hugging Face `tokenizers`.
  init(entries: [(token: String, id: Int32)], continuationPrefix: String) {
    var tokens = [String?](repeating: nil, count: Int((entries.map(\.id).max() ?? -1) + 1))
    var ids: [String: Int32] = [:]
    ids.reserveCapacity(entries.count)
    var trie = WordPieceTrie()
    let prefixScalars = Array(continuationPrefix.unicodeScalars.map(\.value))
    for (token, id) in entries {
      ids[token] = id
      let scalars = Array(token.unicodeScalars.map(\.value))
      trie.insert(scalars, id: id, root: WordPieceTrie.initialRoot)
      if !prefixScalars.isEmpty, scalars.count > prefixScalars.count,
        scalars.starts(with: prefixScalars)
      {
        trie.insert(
          scalars[prefixScalars.count...], id: id, root: WordPieceTrie.continuationRoot)
      }
    }
    for (token, id) in ids where tokens[Int(id)].map({ token < $0 }) ?? true {
      tokens[Int(id)] = token
    }
    self.tokens = tokens
    self.ids = ids
    self.trie = trie
  }

  var count: Int { ids.count }
}
