// MARK: - Definition protocol

/// An option, flag or positional argument that a command declares in its
/// ``CommandConfiguration`` and reads back from ``ParsedArguments``.
public protocol ArgumentDefinition: Sendable {
  /// The Swift type the parser produces for this definition.
  associatedtype Value: Sendable
  /// The type-erased description the parser and the help formatter work from.
  var spec: ArgumentSpec { get }
}

/// The type-erased form of an ``Option``, ``Flag`` or ``Argument``.
public struct ArgumentSpec: Sendable {
  enum Kind: Sendable, Equatable {
    case option
    /// `acceptsNegation` is true when `--no-NAME` sets the flag to false.
    case flag(acceptsNegation: Bool)
    case positional
  }

  let kind: Kind
  /// The long name without dashes (`top-k`), or the positional argument's name.
  let name: String
  let shortName: Character?
  let help: String
  let unit: String?
  /// The placeholder shown after the option name in help (`<n>`), without brackets.
  let valueName: String
  let multiplicity: ValueMultiplicity
  let isRequired: Bool
  /// The default as the user would type it, or `nil` when help shows none.
  let defaultText: String?
  /// The accepted values after an article: "a positive integer".
  let expectation: String
  /// The value used when the user gives none, `nil` only for required definitions.
  let absentValue: (any Sendable)?
  /// Converts one command-line string, returning `nil` when it is invalid or rejected by
  /// the constraint.
  let parseElement: @Sendable (String) -> (any Sendable)?
  /// Builds the definition's `Value` from converted elements in command-line order.
  let assemble: @Sendable ([any Sendable]) -> (any Sendable)?

  /// The name as the user types it and as errors show it: `--top-k`, `<input>`.
  var displayName: String {
    kind == .positional ? "<\(name)>" : "--\(name)"
  }

  var takesValue: Bool {
    if case .flag = kind { return false }
    return true
  }
}

// MARK: - Typed definitions

/// A named option with a value: `--top-k 5` or `--top-k=5`.
///
/// `Value` sets the shape: `Option<Int>` is required unless it has a default,
/// `Option<Int?>` may be left out (then `nil` unless it has a default), and
/// `Option<[String]>` collects every value given, whether from repeated options
/// (`--corpus a --corpus b`) or several values after one option (`--corpus a b`). A list
/// without a default is required and needs at least one value.
public struct Option<Value: OptionValue>: ArgumentDefinition {
  public let spec: ArgumentSpec

  /// Creates an option.
  /// - Parameters:
  ///   - name: The long name without dashes, such as `"top-k"`.
  ///   - short: A one-letter alias typed as `-k`.
  ///   - defaultValue: The value used when the option is absent.
  ///   - constraint: A check applied to each value, such as `.positive`.
  ///   - valueName: The placeholder shown in help, or the option name when `nil`.
  ///   - unit: The unit of the value for help, such as `"tokens"` or `"seconds"`.
  ///   - help: One or two sentences saying what the option sets.
  public init(
    _ name: String,
    short: Character? = nil,
    default defaultValue: Value? = nil,
    constraint: ValueConstraint<Value.ElementValue>? = nil,
    valueName: String? = nil,
    unit: String? = nil,
    help: String
  ) {
    spec = makeValueSpec(
      kind: .option, name: name, short: short, defaultValue: defaultValue,
      constraint: constraint, valueName: valueName, unit: unit, help: help)
  }
}

/// A positional argument, matched by position among the arguments that are not options.
///
/// `Argument<String>` is required, `Argument<String?>` is optional, and `Argument<[String]>`
/// takes all remaining positional values, so it must come last.
public struct Argument<Value: OptionValue>: ArgumentDefinition {
  public let spec: ArgumentSpec

  /// Creates a positional argument. The parameters match those of ``Option``.
  public init(
    _ name: String,
    default defaultValue: Value? = nil,
    constraint: ValueConstraint<Value.ElementValue>? = nil,
    unit: String? = nil,
    help: String
  ) {
    spec = makeValueSpec(
      kind: .positional, name: name, short: nil, defaultValue: defaultValue,
      constraint: constraint, valueName: name, unit: unit, help: help)
  }
}

/// A switch without a value: `--fp16`. A flag whose default is `true` is turned off with
/// `--no-NAME`, and help shows it as `--[no-]NAME`.
public struct Flag: ArgumentDefinition {
  public typealias Value = Bool
  public let spec: ArgumentSpec

  public init(_ name: String, short: Character? = nil, default defaultValue: Bool = false, help: String) {
    spec = ArgumentSpec(
      kind: .flag(acceptsNegation: defaultValue), name: name, shortName: short, help: help,
      unit: nil, valueName: name, multiplicity: .single, isRequired: false,
      defaultText: defaultValue ? "on" : nil, expectation: "",
      absentValue: defaultValue,
      parseElement: { _ in nil },
      assemble: { values in values.last })
  }
}

// MARK: - Spec construction

private func makeValueSpec<Value: OptionValue>(
  kind: ArgumentSpec.Kind,
  name: String,
  short: Character?,
  defaultValue: Value?,
  constraint: ValueConstraint<Value.ElementValue>?,
  valueName: String?,
  unit: String?,
  help: String
) -> ArgumentSpec {
  let absentValue: (any Sendable)?
  switch Value.multiplicity {
  case .optional:
    absentValue = defaultValue ?? Value.assemble([])
  case .single, .list:
    absentValue = defaultValue
  }

  let defaultText = defaultValue.flatMap { value -> String? in
    let texts = value.elements.map { quotedIfNeeded($0.argumentText) }
    return texts.isEmpty ? nil : texts.joined(separator: " ")
  }

  return ArgumentSpec(
    kind: kind,
    name: name,
    shortName: short,
    help: help,
    unit: unit,
    valueName: valueName ?? name,
    multiplicity: Value.multiplicity,
    isRequired: absentValue == nil,
    defaultText: defaultText,
    expectation: constraint?.description ?? Value.ElementValue.valueDescription,
    absentValue: absentValue,
    parseElement: { text in
      guard let element = Value.ElementValue(argument: text) else { return nil }
      if let constraint, !constraint.accepts(element) { return nil }
      return element
    },
    assemble: { values in
      Value.assemble(values.compactMap { $0 as? Value.ElementValue })
    })
}

/// Quotes and escapes a default that would be unreadable in help as typed, such as an
/// empty string or one containing a line break or space.
private func quotedIfNeeded(_ text: String) -> String {
  let needsQuotes = text.isEmpty || text.unicodeScalars.contains { scalar in
    scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
  }
  return needsQuotes ? text.debugDescription : text
}
