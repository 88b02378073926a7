/// A token matched as a whole in the text before WordPiece runs, such as `[MASK]` or a domain term
/// added after pretraining. Mirrors Hugging Face `AddedToken`.
public struct AddedToken: Sendable, Hashable {
  /// Exact text of the token.
  public var content: String
  /// Token id, or nil to use the vocabulary entry with the same text (or a new id after the
  /// largest one when the vocabulary has no such entry).
  public var id: Int32?
  /// Special tokens are dropped by `decode(_:skipSpecialTokens:)` and marked in the special-tokens
  /// mask.
  public var special: Bool
  /// Match against normalized text (after lowercasing and the other normalizer steps) instead of
  /// the original text.
  public var normalized: Bool
  /// Absorb whitespace on the left of a match into the token's span.
  public var lstrip: Bool
  /// Absorb whitespace on the right of a match into the token's span.
  public var rstrip: Bool

  public init(
    _ content: String, id: Int32? = nil, special: Bool = false, normalized: Bool? = nil,
    lstrip: Bool = false, rstrip: Bool = false
  ) {
    self.content = content
    self.id = id
    self.special = special
    self.normalized = normalized ?? !special
    self.lstrip = lstrip
    self.rstrip = rstrip
  }
}
