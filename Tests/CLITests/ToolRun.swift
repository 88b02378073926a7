import ShenzhouCLIKit

/// The captured result of running the sample tool on some arguments.
struct ToolRun {
  var status: Int32
  var output: String
  var error: String

  init(_ arguments: [String], tool: CommandLineTool = sampleTool) {
    var output = ""
    var error = ""
    status = tool.execute(arguments, standardOutput: { output += $0 }, standardError: { error += $0 })
    self.output = output
    self.error = error
  }
}

/// Parses `arguments` with the sample tool and returns the command it creates.
func parseCommand<C: Command>(_ arguments: [String], as type: C.Type) throws -> C? {
  guard case .command(let command) = try sampleTool.parse(arguments) else { return nil }
  return command as? C
}
