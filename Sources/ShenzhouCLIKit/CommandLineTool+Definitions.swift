extension CommandLineTool {
  /// Lists mistakes in the declarations of all commands, such as duplicate option names.
  /// The list is empty when every command is well formed. Call it from a test of the tool.
  public func definitionProblems() -> [String] {
    var problems = duplicateNames(commands.map { $0.configuration.name }).map {
      "'\(name)' declares the command '\($0)' more than once"
    }
    for command in commands {
      problems += Self.problems(in: command, path: name)
    }
    return problems
  }

  /// Throws the first problem of one command's declaration, so that a broken definition
  /// fails with a message instead of parsing arguments wrongly.
  func checkDefinition(_ configuration: CommandConfiguration, path: String) throws {
    if let problem = Self.localProblems(in: configuration, path: path).first {
      throw CommandDefinitionError(problem)
    }
  }

  private static func problems(in command: any Command.Type, path: String) -> [String] {
    let configuration = command.configuration
    let commandPath = "\(path) \(configuration.name)"
    var problems = localProblems(in: configuration, path: commandPath)
    problems += duplicateNames(configuration.subcommands.map { $0.configuration.name }).map {
      "'\(commandPath)' declares the command '\($0)' more than once"
    }
    for subcommand in configuration.subcommands {
      problems += Self.problems(in: subcommand, path: commandPath)
    }
    return problems
  }

  private static func localProblems(in configuration: CommandConfiguration, path: String) -> [String] {
    let specs = configuration.specs
    var problems: [String] = []

    if !configuration.subcommands.isEmpty, !specs.isEmpty {
      problems.append("'\(path)' has subcommands, so it cannot declare arguments")
    }

    for spec in specs {
      let isValidName = !spec.name.isEmpty && !spec.name.hasPrefix("-")
        && !spec.name.contains(where: { $0 == "=" || $0 == " " })
      if !isValidName {
        problems.append("'\(path)' declares the invalid name \"\(spec.name)\"; use letters, digits and inner dashes")
      }
      if spec.kind != .positional, spec.name == "help" || spec.shortName == "h" {
        problems.append("'\(path)' declares \(spec.displayName), but --help and -h are reserved")
      }
    }

    let named = specs.filter { $0.kind != .positional }
    var optionNames = named.map(\.name)
    optionNames += named.filter { $0.kind == .flag(acceptsNegation: true) }.map { "no-\($0.name)" }
    problems += duplicateNames(optionNames).map { "'\(path)' declares --\($0) more than once" }
    problems += duplicateNames(named.compactMap(\.shortName).map(String.init)).map {
      "'\(path)' declares -\($0) more than once"
    }
    let positionals = specs.filter { $0.kind == .positional }
    problems += duplicateNames(positionals.map(\.name)).map {
      "'\(path)' declares the argument <\($0)> more than once"
    }
    problems += positionalOrderProblems(positionals, path: path)
    problems += groupProblems(configuration, path: path)
    return problems
  }

  /// A list must be the last positional argument, and an optional one cannot precede a
  /// required one, because positional values are assigned in order.
  private static func positionalOrderProblems(_ positionals: [ArgumentSpec], path: String) -> [String] {
    var problems: [String] = []
    for (index, spec) in positionals.enumerated() where index < positionals.count - 1 {
      if spec.multiplicity == .list {
        problems.append("'\(path)' declares the list <\(spec.name)> before other positional arguments")
      } else if !spec.isRequired, positionals[(index + 1)...].contains(where: \.isRequired) {
        problems.append("'\(path)' declares the optional <\(spec.name)> before a required positional argument")
      }
    }
    return problems
  }

  private static func groupProblems(_ configuration: CommandConfiguration, path: String) -> [String] {
    var problems: [String] = []
    var seen: Set<String> = []
    for group in configuration.exclusiveGroups {
      if group.members.count < 2 {
        problems.append("'\(path)' declares an exclusive group with fewer than two options")
      }
      for member in group.members.map(\.spec) {
        if !configuration.specs.contains(where: { $0.name == member.name && $0.kind == member.kind }) {
          problems.append("'\(path)' groups \(member.displayName), which its arguments do not declare")
        }
        if member.kind == .positional {
          problems.append("'\(path)' groups the positional argument \(member.displayName); group options only")
        }
        if member.isRequired {
          problems.append("'\(path)' groups the required option \(member.displayName); make it optional")
        }
        if !seen.insert(member.name).inserted {
          problems.append("'\(path)' puts \(member.displayName) in more than one exclusive group")
        }
      }
    }
    return problems
  }
}

private func duplicateNames(_ names: [String]) -> [String] {
  var seen: Set<String> = []
  var duplicates: [String] = []
  for name in names where !seen.insert(name).inserted && !duplicates.contains(name) {
    duplicates.append(name)
  }
  return duplicates
}
