// MARK: - Value protocols

/// A type that one command-line value converts to, such as `Int`, `Double`, `String`, an
/// ``ArgumentEnum`` or a ``KeyValue``.
///
/// Conform a new type by parsing one argument string in ``init(argument:)``. The other
/// requirements have defaults.
public protocol ArgumentValue: OptionValue where ElementValue == Self {
  /// Parses one command-line value, returning `nil` when the text is not valid for the type.
  init?(argument: String)

  /// The expected kind after an article, for help and errors: "an integer", "a number".
  static var valueDescription: String { get }

  /// The values the parser accepts, listed in help and errors, or `nil` when any text that
  /// ``init(argument:)`` accepts is allowed.
  static var allowedValues: [String]? { get }

  /// The value as the user would type it, used to print defaults in help.
  var argumentText: String { get }
}

extension ArgumentValue {
  public static var allowedValues: [String]? { nil }
  public var argumentText: String { "\(self)" }

  public static var multiplicity: ValueMultiplicity { .single }
  public static func assemble(_ values: [Self]) -> Self? { values.last }
  public var elements: [Self] { [self] }
}

/// How many values an option or positional argument takes.
public enum ValueMultiplicity: Sendable, Equatable {
  /// Exactly one value. The option is required unless it has a default.
  case single
  /// Zero or one value, `nil` when absent.
  case optional
  /// Any number of values, from repeated options or several values after one option.
  case list
}

/// The Swift type that an option or positional argument produces: a single ``ArgumentValue``,
/// an `Optional` of one, or an `Array` of them.
public protocol OptionValue: Sendable {
  /// The type of each value given on the command line.
  associatedtype ElementValue: ArgumentValue
  static var multiplicity: ValueMultiplicity { get }
  /// Builds the result from the parsed values in command-line order, or `nil` when there are
  /// none and the type has no empty form.
  static func assemble(_ values: [ElementValue]) -> Self?
  /// The values this result holds, in order: used to print defaults in help.
  var elements: [ElementValue] { get }
}

extension Optional: OptionValue where Wrapped: ArgumentValue {
  public typealias ElementValue = Wrapped
  public static var multiplicity: ValueMultiplicity { .optional }
  public static func assemble(_ values: [Wrapped]) -> Wrapped?? { .some(values.last) }
  public var elements: [Wrapped] { map { [$0] } ?? [] }
}

extension Array: OptionValue where Element: ArgumentValue {
  public typealias ElementValue = Element
  public static var multiplicity: ValueMultiplicity { .list }
  public static func assemble(_ values: [Element]) -> [Element]? { values }
  public var elements: [Element] { self }
}

// MARK: - Standard conformances

extension Int: ArgumentValue {
  public init?(argument: String) {
    self.init(argument, radix: 10)
  }
  public static var valueDescription: String { "an integer" }
}

extension Double: ArgumentValue {
  /// Accepts finite decimal or exponent notation, but rejects `nan` and `inf`.
  public init?(argument: String) {
    guard let value = Double(argument), value.isFinite else { return nil }
    self = value
  }
  public static var valueDescription: String { "a number" }
}

extension String: ArgumentValue {
  public init?(argument: String) {
    self = argument
  }
  public static var valueDescription: String { "a string" }
  public var argumentText: String { self }
}

// MARK: - Enumerations

/// An enumeration whose raw values are the accepted command-line spellings.
///
///     enum Device: String, ArgumentEnum { case cpu, cuda }
public protocol ArgumentEnum: ArgumentValue, CaseIterable, RawRepresentable where RawValue == String {}

extension ArgumentEnum {
  public init?(argument: String) {
    self.init(rawValue: argument)
  }
  public static var allowedValues: [String]? { allCases.map(\.rawValue) }
  public static var valueDescription: String {
    "one of " + allCases.map(\.rawValue).joined(separator: ", ")
  }
  public var argumentText: String { rawValue }
}

// MARK: - Key-value pairs

/// A `KEY=VALUE` command-line value, such as `--set lr=0.001`. The key is everything before
/// the first `=` and must not be empty. The value is parsed as `Value`.
public struct KeyValue<Value: ArgumentValue>: ArgumentValue {
  public var key: String
  public var value: Value

  public init(key: String, value: Value) {
    self.key = key
    self.value = value
  }

  public init?(argument: String) {
    guard let separator = argument.firstIndex(of: "="), separator != argument.startIndex else {
      return nil
    }
    guard let value = Value(argument: String(argument[argument.index(after: separator)...])) else {
      return nil
    }
    self.key = String(argument[..<separator])
    self.value = value
  }

  public static var valueDescription: String {
    if Value.self == String.self { return "a KEY=VALUE pair" }
    return "a KEY=VALUE pair with VALUE \(Value.valueDescription)"
  }

  public var argumentText: String { "\(key)=\(value.argumentText)" }
}

extension KeyValue: Equatable where Value: Equatable {}
