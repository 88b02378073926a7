/// A check on each parsed value of an option or positional argument, with the phrase that
/// help and errors use for the values it accepts ("a positive integer").
public struct ValueConstraint<Value: ArgumentValue>: Sendable {
  /// The expected values after an article, replacing `Value.valueDescription`.
  public let description: String
  let accepts: @Sendable (Value) -> Bool

  /// Creates a constraint from a description such as "an odd integer" and its check.
  public init(_ description: String, accepts: @escaping @Sendable (Value) -> Bool) {
    self.description = description
    self.accepts = accepts
  }

  /// The type's description without its leading article: "integer" for `Int`.
  static var noun: String {
    let text = Value.valueDescription
    for article in ["an ", "a "] where text.hasPrefix(article) {
      return String(text.dropFirst(article.count))
    }
    return text
  }
}

extension ValueConstraint where Value: Comparable & Numeric {
  /// Accepts values greater than zero.
  public static var positive: Self {
    Self("a positive \(noun)") { $0 > 0 }
  }

  /// Accepts zero and greater values.
  public static var nonNegative: Self {
    Self("a non-negative \(noun)") { $0 >= 0 }
  }

  /// Accepts values in `range`, bounds included.
  public static func range(_ range: ClosedRange<Value>) -> Self {
    let article = Value.valueDescription.hasPrefix("an ") ? "an" : "a"
    return Self("\(article) \(noun) from \(range.lowerBound) to \(range.upperBound)") {
      range.contains($0)
    }
  }
}

extension ValueConstraint where Value == String {
  /// Accepts any text except the empty string.
  public static var nonEmpty: Self {
    Self("a non-empty string") { !$0.isEmpty }
  }
}
