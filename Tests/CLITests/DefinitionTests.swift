import ShenzhouCLIKit
import Testing

/// Commands whose declarations break the rules, for the definition checks.
private struct Broken: Command {
  static let first = Option<Int>("size", default: 1, help: "First.")
  static let second = Option<Int>("size", default: 2, help: "Second.")
  static let helpOption = Flag("help", help: "Clashes with the built-in help.")
  static let shortH = Option<Int?>("height", short: "h", help: "Clashes with -h.")
  static let negated = Flag("cache", default: true, help: "Negatable flag.")
  static let clash = Flag("no-cache", help: "Clashes with --no-cache.")
  static let files = Argument<[String]>("files", help: "A list before another positional.")
  static let last = Argument<String>("last", help: "After the list.")
  static let required = Option<Int>("required", help: "Required group member.")
  static let undeclared = Option<Int?>("undeclared", help: "Group member not in the arguments.")

  static let configuration = CommandConfiguration(
    name: "broken", abstract: "Declares everything wrong.",
    arguments: [first, second, helpOption, shortH, negated, clash, files, last, required],
    exclusiveGroups: [ExclusiveGroup(required, undeclared)])

  init(parsed: ParsedArguments) throws {}
  func run() throws {}
}

private struct OptionalFirst: Command {
  static let optional = Argument<String?>("optional", help: "Optional.")
  static let required = Argument<String>("required", help: "Required.")
  static let configuration = CommandConfiguration(
    name: "optional-first", abstract: "Optional positional before a required one.",
    arguments: [optional, required])

  init(parsed: ParsedArguments) throws {}
  func run() throws {}
}

@Suite struct DefinitionTests {
  let tool = CommandLineTool(
    name: "tool", commands: [Broken.self, OptionalFirst.self, Broken.self])

  @Test func problemsAreListed() {
    #expect(
      tool.definitionProblems() == [
        "'tool' declares the command 'broken' more than once",
        "'tool broken' declares --help, but --help and -h are reserved",
        "'tool broken' declares --height, but --help and -h are reserved",
        "'tool broken' declares --size more than once",
        "'tool broken' declares --no-cache more than once",
        "'tool broken' declares the list <files> before other positional arguments",
        "'tool broken' groups the required option --required; make it optional",
        "'tool broken' groups --undeclared, which its arguments do not declare",
        "'tool optional-first' declares the optional <optional> before a required positional argument",
        "'tool broken' declares --help, but --help and -h are reserved",
        "'tool broken' declares --height, but --help and -h are reserved",
        "'tool broken' declares --size more than once",
        "'tool broken' declares --no-cache more than once",
        "'tool broken' declares the list <files> before other positional arguments",
        "'tool broken' groups the required option --required; make it optional",
        "'tool broken' groups --undeclared, which its arguments do not declare",
      ])
  }

  @Test func brokenCommandFailsWithStatus1() {
    let run = ToolRun(["broken"], tool: tool)
    #expect(run.status == 1)
    #expect(run.error == "error: internal error in the command definition: 'tool broken' declares --help, but --help and -h are reserved\n")
  }
}
