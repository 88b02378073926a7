// MARK: - Command

/// A subcommand of a ``CommandLineTool``: a type that declares its options in
/// ``configuration``, reads them in ``init(parsed:)`` and does its work in ``run()``.
///
///     struct Predict: Command {
///       static let topK = Option<Int>("top-k", default: 5, constraint: .positive,
///                                     help: "Number of candidates to print for each mask.")
///       static let configuration = CommandConfiguration(
///         name: "predict", abstract: "Fill in masked tokens.", arguments: [topK])
///
///       let topK: Int
///       init(parsed: ParsedArguments) throws { topK = try parsed[Self.topK] }
///       func run() throws { ... }
///     }
///
/// The tool parses the command line, then calls `init(parsed:)`, ``validate()`` and `run()`.
/// A ``UsageError`` thrown from any of them exits with status 2, any other error with 1.
public protocol Command: SendableMetatype {
  static var configuration: CommandConfiguration { get }
  init(parsed: ParsedArguments) throws
  /// Checks rules that span several options and throws ``UsageError`` naming them.
  func validate() throws
  func run() throws
}

extension Command {
  public func validate() throws {}
}

/// A command that only groups subcommands, such as `shenzhou vocab` over `vocab build` and
/// `vocab show`. Its configuration lists the subcommands and declares no arguments.
public protocol CommandGroup: Command {
  init()
}

extension CommandGroup {
  public init(parsed: ParsedArguments) throws {
    self.init()
  }

  public func run() throws {}
}

// MARK: - Configuration

/// What a command declares about itself for parsing and help.
public struct CommandConfiguration: Sendable {
  /// The word that selects the command, such as `pretrain`.
  public var name: String
  /// One line for the command list and the top of the command's help.
  public var abstract: String
  /// Free-form text printed verbatim at the end of the help, such as the schema of an
  /// output file, or empty for none.
  public var discussion: String
  public var arguments: [any ArgumentDefinition]
  public var exclusiveGroups: [ExclusiveGroup]
  /// Commands nested under this one, non-empty only for a ``CommandGroup``.
  public var subcommands: [any Command.Type]

  public init(
    name: String,
    abstract: String,
    discussion: String = "",
    arguments: [any ArgumentDefinition] = [],
    exclusiveGroups: [ExclusiveGroup] = [],
    subcommands: [any Command.Type] = []
  ) {
    self.name = name
    self.abstract = abstract
    self.discussion = discussion
    self.arguments = arguments
    self.exclusiveGroups = exclusiveGroups
    self.subcommands = subcommands
  }

  var specs: [ArgumentSpec] { arguments.map(\.spec) }
}

/// Options of which at most one may be given, such as `--vocab` and `--model`. With
/// `isRequired`, exactly one must be given. Members must not be required themselves.
public struct ExclusiveGroup: Sendable {
  public let members: [any ArgumentDefinition]
  public let isRequired: Bool

  public init(_ members: any ArgumentDefinition..., required: Bool = false) {
    self.members = members
    self.isRequired = required
  }

  var memberNames: [String] { members.map(\.spec.name) }
}
