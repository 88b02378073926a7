/// Renders help text at a fixed width of 80 columns, so output does not depend on the
/// terminal and tests can compare it exactly.
struct HelpFormatter {
  static let width = 80
  /// The column where descriptions start in the option and command lists.
  static let descriptionColumn = 26

  // MARK: - Tool help

  static func toolHelp(_ tool: CommandLineTool) -> String {
    var sections: [String] = []
    if !tool.abstract.isEmpty {
      sections.append(wrap(tool.abstract, indent: 0))
    }
    sections.append(wrap("Usage: \(tool.name) <command> [options]", indent: 2))
    sections.append(commandList(tool.commands, includingHelp: true))

    var options = ["Options:"]
    options.append(listEntry("-h, --help", "Show help and exit."))
    if tool.version != nil {
      options.append(listEntry("--version", "Show the version and exit."))
    }
    sections.append(options.joined(separator: "\n"))
    sections.append("Run '\(tool.name) help <command>' for the options of a command.")
    return sections.joined(separator: "\n\n") + "\n"
  }

  // MARK: - Command help

  static func commandHelp(_ configuration: CommandConfiguration, path: String) -> String {
    var sections: [String] = []
    if !configuration.abstract.isEmpty {
      sections.append(wrap(configuration.abstract, indent: 0))
    }

    if !configuration.subcommands.isEmpty {
      sections.append(wrap("Usage: \(path) <command> [options]", indent: 2))
      sections.append(commandList(configuration.subcommands, includingHelp: false))
      sections.append("Run '\(path) <command> --help' for the options of a command.")
    } else {
      sections.append(usageLine(configuration, path: path))
      let positionals = configuration.specs.filter { $0.kind == .positional }
      if !positionals.isEmpty {
        sections.append((["Arguments:"] + positionals.map(entry(for:))).joined(separator: "\n"))
      }
      let options = configuration.specs.filter { $0.kind != .positional }
      var lines = ["Options:"] + options.map { entry(for: $0, in: configuration) }
      lines.append(listEntry("-h, --help", "Show help and exit."))
      sections.append(lines.joined(separator: "\n"))
    }

    var text = sections.joined(separator: "\n\n") + "\n"
    let discussion = configuration.discussion.trimmingTrailingNewlines()
    if !discussion.isEmpty {
      text += "\n" + discussion + "\n"
    }
    return text
  }

  /// The usage line, with each exclusive group shown once where its first member is
  /// declared: `(--vocab <vocab> | --model <model>)` when required, in brackets otherwise.
  static func usageLine(_ configuration: CommandConfiguration, path: String) -> String {
    var words: [String] = []
    var groupsShown: Set<Int> = []
    let groupOf = { (name: String) in
      configuration.exclusiveGroups.firstIndex { $0.memberNames.contains(name) }
    }

    let options = configuration.specs.filter { $0.kind != .positional }
    let positionals = configuration.specs.filter { $0.kind == .positional }
    for spec in options + positionals {
      if let groupIndex = groupOf(spec.name) {
        guard groupsShown.insert(groupIndex).inserted else { continue }
        let group = configuration.exclusiveGroups[groupIndex]
        let alternatives = group.members.map { usageForm(of: $0.spec) }.joined(separator: " | ")
        words.append(group.isRequired ? "(\(alternatives))" : "[\(alternatives)]")
      } else {
        let form = usageForm(of: spec)
        words.append(spec.isRequired ? form : "[\(form)]")
      }
    }

    let prefix = "Usage: \(path)"
    return wrapWords(words, firstLinePrefix: prefix, indent: prefix.count + 1)
  }

  // MARK: - Entries

  private static func commandList(_ commands: [any Command.Type], includingHelp: Bool) -> String {
    var lines = ["Commands:"]
    for command in commands {
      lines.append(listEntry(command.configuration.name, command.configuration.abstract))
    }
    if includingHelp {
      lines.append(listEntry("help", "Show help for a command."))
    }
    return lines.joined(separator: "\n")
  }

  private static func entry(for spec: ArgumentSpec) -> String {
    listEntry(usageForm(of: spec), described(spec, conflicts: []))
  }

  private static func entry(for spec: ArgumentSpec, in configuration: CommandConfiguration) -> String {
    var conflicts: [String] = []
    for group in configuration.exclusiveGroups where group.memberNames.contains(spec.name) {
      conflicts += group.members.map(\.spec).filter { $0.name != spec.name }.map(\.displayName)
    }
    var label = usageForm(of: spec)
    if let short = spec.shortName {
      label = "-\(short), " + label
    }
    return listEntry(label, described(spec, conflicts: conflicts))
  }

  /// The help sentence followed by the details in parentheses: value kind, unit, whether it
  /// repeats or is required, the default, and options it excludes.
  private static func described(_ spec: ArgumentSpec, conflicts: [String]) -> String {
    var details: [String] = []
    if spec.takesValue {
      var kind = spec.expectation
      if let unit = spec.unit {
        kind += ", in \(unit)"
      }
      details.append(kind)
      if spec.multiplicity == .list {
        details.append(spec.kind == .positional ? "one or more" : "repeatable")
      }
    }
    if spec.isRequired {
      details.append("required")
    }
    if let defaultText = spec.defaultText {
      details.append("default: \(defaultText)")
    }
    if !conflicts.isEmpty {
      details.append("not with \(listed(conflicts, conjunction: "or"))")
    }
    guard !details.isEmpty else { return spec.help }
    return spec.help + " (" + details.joined(separator: "; ") + ")"
  }

  /// A two-column line: the label, then the wrapped description from
  /// ``descriptionColumn``, starting on the next line when the label is too long.
  private static func listEntry(_ label: String, _ description: String) -> String {
    let indentedLabel = "  " + label
    let descriptionLines = wrapLines(description, width: width - descriptionColumn)
    let padding = String(repeating: " ", count: descriptionColumn)
    var lines: [String] = []
    if indentedLabel.count <= descriptionColumn - 2, let first = descriptionLines.first {
      lines.append(indentedLabel + String(repeating: " ", count: descriptionColumn - indentedLabel.count) + first)
      lines += descriptionLines.dropFirst().map { padding + $0 }
    } else {
      lines.append(indentedLabel)
      lines += descriptionLines.map { padding + $0 }
    }
    return lines.joined(separator: "\n")
  }

  // MARK: - Wrapping

  /// Wraps prose to ``width``, indenting continuation lines by `indent` spaces.
  static func wrap(_ text: String, indent: Int) -> String {
    let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard let first = words.first else { return "" }
    return wrapWords(Array(words.dropFirst()), firstLinePrefix: first, indent: indent)
  }

  private static func wrapWords(_ words: [String], firstLinePrefix: String, indent: Int) -> String {
    var lines: [String] = []
    var line = firstLinePrefix
    for word in words {
      if line.count + 1 + word.count > width, line.count > indent {
        lines.append(line)
        line = String(repeating: " ", count: indent) + word
      } else {
        line += " " + word
      }
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }

  private static func wrapLines(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if line.isEmpty {
        line = String(word)
      } else if line.count + 1 + word.count > width {
        lines.append(line)
        line = String(word)
      } else {
        line += " " + word
      }
    }
    if !line.isEmpty {
      lines.append(line)
    }
    return lines
  }
}

extension String {
  fileprivate func trimmingTrailingNewlines() -> String {
    var text = self
    while text.last?.isNewline == true {
      text.removeLast()
    }
    return text
  }
}
