/// Parses the arguments after a command's name against the command's definitions.
///
/// Rules: `--name value` and `--name=value` set an option. A list option also takes every
/// following token up to the next one that starts with `-` (a negative number is a value,
/// not an option), while `--name=value` binds that one value only. `--` ends the options, so
/// every later token is positional. A single-valued option or a flag may be given once.
struct CommandLineParser {
  let configuration: CommandConfiguration
  let commandPath: String

  private var specs: [ArgumentSpec] { configuration.specs }

  /// Parses `tokens`. The caller handles `--help` before.
  func parse(_ tokens: [String]) throws -> ParsedArguments {
    var state = ParseState(count: specs.count)
    var positionalTokens: [String] = []
    var index = 0
    var optionsEnded = false

    while index < tokens.count {
      let token = tokens[index]
      index += 1
      if optionsEnded || !isOptionLike(token) {
        positionalTokens.append(token)
        continue
      }
      if token == "--" {
        optionsEnded = true
        continue
      }
      try parseOption(token, tokens: tokens, index: &index, state: &state)
    }

    try checkExclusiveGroups(state)
    try checkRequiredOptions(state)
    try assignPositionals(positionalTokens, state: &state)
    return makeParsedArguments(state)
  }

  // MARK: - Options

  private func parseOption(
    _ token: String, tokens: [String], index: inout Int, state: inout ParseState
  ) throws {
    let (written, inlineValue) = splitInlineValue(token)
    let (specIndex, negated) = try lookUp(written)
    let spec = specs[specIndex]

    if !spec.takesValue {
      if let inlineValue {
        throw UsageError("\(written) is a flag and takes no value, got \"\(inlineValue)\"")
      }
      try markGiven(specIndex, written: written, state: &state)
      state.elements[specIndex] = [!negated]
      return
    }

    if spec.multiplicity != .list {
      try markGiven(specIndex, written: written, state: &state)
    } else {
      state.given[specIndex] = true
    }

    var texts: [String] = []
    if let inlineValue {
      texts.append(inlineValue)
    } else if spec.multiplicity == .list {
      while index < tokens.count, !isOptionLike(tokens[index]) {
        texts.append(tokens[index])
        index += 1
      }
    } else if index < tokens.count, !isOptionLike(tokens[index]) {
      texts.append(tokens[index])
      index += 1
    }
    guard !texts.isEmpty else {
      throw UsageError("missing value for \(written) (expects \(spec.expectation))")
    }

    for text in texts {
      state.elements[specIndex].append(try convert(text, for: spec, written: written))
    }
  }

  private func lookUp(_ written: String) throws -> (index: Int, negated: Bool) {
    if written.hasPrefix("--") {
      let name = String(written.dropFirst(2))
      if let index = specs.firstIndex(where: { $0.kind != .positional && $0.name == name }) {
        return (index, false)
      }
      if name.hasPrefix("no-") {
        let positive = String(name.dropFirst(3))
        if let index = specs.firstIndex(where: {
          $0.kind == .flag(acceptsNegation: true) && $0.name == positive
        }) {
          return (index, true)
        }
      }
    } else if written.unicodeScalars.count == 2, let letter = written.dropFirst().first,
      let index = specs.firstIndex(where: { $0.kind != .positional && $0.shortName == letter })
    {
      return (index, false)
    }
    throw unknownOptionError(written)
  }

  private func unknownOptionError(_ written: String) -> UsageError {
    var candidates = ["--help"]
    for spec in specs where spec.kind != .positional {
      candidates.append("--\(spec.name)")
      if spec.kind == .flag(acceptsNegation: true) {
        candidates.append("--no-\(spec.name)")
      }
    }
    if let suggestion = closestName(to: written, among: candidates) {
      return UsageError("unknown option \(written) (did you mean \(suggestion)?)")
    }
    return UsageError("unknown option \(written); run '\(commandPath) --help' to list the options")
  }

  private func markGiven(_ specIndex: Int, written: String, state: inout ParseState) throws {
    guard !state.given[specIndex] else {
      throw UsageError("\(specs[specIndex].displayName) is given more than once; give it once")
    }
    state.given[specIndex] = true
  }

  private func convert(_ text: String, for spec: ArgumentSpec, written: String) throws -> any Sendable {
    guard let element = spec.parseElement(text) else {
      throw UsageError("\(written) expects \(spec.expectation), got \"\(text)\"")
    }
    return element
  }

  // MARK: - Checks after scanning

  private func checkExclusiveGroups(_ state: ParseState) throws {
    for group in configuration.exclusiveGroups {
      let given = group.members.map(\.spec).filter { member in
        specs.firstIndex(where: { $0.name == member.name }).map { state.given[$0] } ?? false
      }
      if given.count > 1 {
        let names = given.map(\.displayName)
        throw UsageError("\(listed(names, conjunction: "and")) cannot be used together")
      }
      if group.isRequired, given.isEmpty {
        let names = group.members.map { usageForm(of: $0.spec) }
        throw UsageError("one of \(listed(names, conjunction: "or")) is required")
      }
    }
  }

  private func checkRequiredOptions(_ state: ParseState) throws {
    for (index, spec) in specs.enumerated()
    where spec.kind == .option && spec.isRequired && !state.given[index] {
      throw UsageError("missing required option \(usageForm(of: spec))")
    }
  }

  // MARK: - Positional arguments

  private func assignPositionals(_ tokens: [String], state: inout ParseState) throws {
    var remaining = tokens[...]
    for (index, spec) in specs.enumerated() where spec.kind == .positional {
      let taken: [String]
      switch spec.multiplicity {
      case .list:
        taken = Array(remaining)
        remaining = []
      case .single, .optional:
        taken = remaining.first.map { [$0] } ?? []
        remaining = remaining.dropFirst()
      }
      if taken.isEmpty {
        if spec.isRequired {
          throw UsageError("missing required argument \(usageForm(of: spec))")
        }
        continue
      }
      state.given[index] = true
      for text in taken {
        state.elements[index].append(try convert(text, for: spec, written: spec.displayName))
      }
    }
    if let extra = remaining.first {
      throw UsageError("unexpected argument \"\(extra)\"")
    }
  }

  // MARK: - Result

  private func makeParsedArguments(_ state: ParseState) -> ParsedArguments {
    var values: [String: any Sendable] = [:]
    var givenNames: Set<String> = []
    for (index, spec) in specs.enumerated() {
      if state.given[index], let value = spec.assemble(state.elements[index]) {
        values[spec.name] = value
        givenNames.insert(spec.name)
      } else if let absent = spec.absentValue {
        values[spec.name] = absent
      }
    }
    return ParsedArguments(commandPath: commandPath, values: values, givenNames: givenNames)
  }
}

// MARK: - Helpers

private struct ParseState {
  var given: [Bool]
  var elements: [[any Sendable]]

  init(count: Int) {
    given = Array(repeating: false, count: count)
    elements = Array(repeating: [], count: count)
  }
}

/// Returns whether `token` names an option (or is `--`) rather than being a value.
func isOptionLike(_ token: String) -> Bool {
  guard token.hasPrefix("-"), token != "-" else { return false }
  return Double(token) == nil
}

/// Splits `--name=value` into its name and value. Other tokens have no inline value.
private func splitInlineValue(_ token: String) -> (name: String, value: String?) {
  guard let equals = token.firstIndex(of: "=") else { return (token, nil) }
  return (String(token[..<equals]), String(token[token.index(after: equals)...]))
}

/// The form of a definition in usage lines and errors: `--corpus <corpus>...`, `<input>`.
func usageForm(of spec: ArgumentSpec) -> String {
  let ellipsis = spec.multiplicity == .list ? "..." : ""
  switch spec.kind {
  case .positional:
    return "<\(spec.valueName)>\(ellipsis)"
  case .option:
    return "--\(spec.name) <\(spec.valueName)>\(ellipsis)"
  case .flag(let acceptsNegation):
    return acceptsNegation ? "--[no-]\(spec.name)" : "--\(spec.name)"
  }
}

/// Joins names as prose: "--a", "--a or --b", "--a, --b or --c".
func listed(_ names: [String], conjunction: String) -> String {
  guard names.count > 1, let last = names.last else { return names.first ?? "" }
  return names.dropLast().joined(separator: ", ") + " \(conjunction) " + last
}
