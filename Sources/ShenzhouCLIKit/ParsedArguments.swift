/// The typed values of one command invocation, read with the definitions the command
/// declared:
///
///     topK = try parsed[Self.topK]
///
/// Every declared definition has a value: the one the user gave, else its default, else
/// `nil` or `[]` for optional and list values. Required values are checked before a
/// command is created.
public struct ParsedArguments: Sendable {
  /// The full command name, such as `shenzhou pretrain`.
  public let commandPath: String
  var values: [String: any Sendable]
  var givenNames: Set<String>

  init(commandPath: String, values: [String: any Sendable], givenNames: Set<String>) {
    self.commandPath = commandPath
    self.values = values
    self.givenNames = givenNames
  }

  /// The value of `definition`. Throws ``CommandDefinitionError`` when the command's
  /// configuration does not declare it.
  public subscript<Definition: ArgumentDefinition>(_ definition: Definition) -> Definition.Value {
    get throws {
      guard let stored = values[definition.spec.name], let value = stored as? Definition.Value else {
        throw CommandDefinitionError(
          "\(definition.spec.displayName) is read but not declared in the configuration of '\(commandPath)'")
      }
      return value
    }
  }

  /// Returns whether the user gave `definition` on the command line, as opposed to it
  /// taking its default.
  public func isGiven(_ definition: some ArgumentDefinition) -> Bool {
    givenNames.contains(definition.spec.name)
  }

  /// Returns the `KEY=VALUE` pairs of a list option as a dictionary, throwing
  /// ``UsageError`` when a key is given twice.
  public func dictionary<Value: ArgumentValue>(
    _ option: Option<[KeyValue<Value>]>
  ) throws -> [String: Value] {
    var result: [String: Value] = [:]
    for pair in try self[option] {
      guard result[pair.key] == nil else {
        throw UsageError("\(option.spec.displayName) gives the key \"\(pair.key)\" more than once")
      }
      result[pair.key] = pair.value
    }
    return result
  }
}
