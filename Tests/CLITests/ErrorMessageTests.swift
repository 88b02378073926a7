import ShenzhouCLIKit
import Testing

@Suite struct ErrorMessageTests {
  /// Arguments that select `pretrain` with its required options satisfied.
  static let pretrain = ["pretrain", "--vocab", "v.txt", "--corpus", "a.txt"]

  static let usageErrors: [(arguments: [String], message: String)] = [
    (pretrain + ["--top-k", "abc"], #"--top-k expects a positive integer, got "abc""#),
    (pretrain + ["--top-k", "0"], #"--top-k expects a positive integer, got "0""#),
    (pretrain + ["-k", "x"], #"-k expects a positive integer, got "x""#),
    (pretrain + ["--steps", "99999999999999999999999"], #"--steps expects a positive integer, got "99999999999999999999999""#),
    (pretrain + ["--topk", "3"], "unknown option --topk (did you mean --top-k?)"),
    (pretrain + ["--no-fp16"], "unknown option --no-fp16 (did you mean --fp16?)"),
    (pretrain + ["--zzzzzz"], "unknown option --zzzzzz; run 'shenzhou pretrain --help' to list the options"),
    (pretrain + ["-x"], "unknown option -x; run 'shenzhou pretrain --help' to list the options"),
    (pretrain + ["--steps"], "missing value for --steps (expects a positive integer)"),
    (pretrain + ["--steps", "--fp16"], "missing value for --steps (expects a positive integer)"),
    (["pretrain", "--corpus", "--vocab", "v"], "missing value for --corpus (expects a string)"),
    (pretrain + ["--device", "gpu"], #"--device expects one of cpu, cuda, got "gpu""#),
    (pretrain + ["--lr", "nan"], #"--lr expects a positive number, got "nan""#),
    (pretrain + ["--lr=-1"], #"--lr expects a positive number, got "-1""#),
    (pretrain + ["--set", "dropout"], #"--set expects a KEY=VALUE pair with VALUE a number, got "dropout""#),
    (pretrain + ["--set", "=0.1"], #"--set expects a KEY=VALUE pair with VALUE a number, got "=0.1""#),
    (pretrain + ["--set", "a=x"], #"--set expects a KEY=VALUE pair with VALUE a number, got "a=x""#),
    (pretrain + ["--set", "a=1", "a=2"], #"--set gives the key "a" more than once"#),
    (pretrain + ["--fp16=yes"], #"--fp16 is a flag and takes no value, got "yes""#),
    (pretrain + ["--steps", "1", "--steps", "2"], "--steps is given more than once; give it once"),
    (pretrain + ["--fp16", "--fp16"], "--fp16 is given more than once; give it once"),
    (pretrain + ["--shuffle", "--no-shuffle"], "--shuffle is given more than once; give it once"),
    (["pretrain", "--vocab", "v"], "missing required option --corpus <path>..."),
    (pretrain + ["--model", "m"], "--vocab and --model cannot be used together"),
    (["pretrain", "--corpus", "a"], "one of --vocab <file> or --model <dir> is required"),
    (pretrain + ["--steps", "10", "--warmup-steps", "20"], "--warmup-steps (20) must be smaller than --steps (10)"),
    (["pretrain", "--vocab", "v", "--corpus", "a", "--steps", "5", "extra"], #"unexpected argument "extra""#),
    (["tokenize"], "missing required argument <input>"),
    (["tokenize", "a", "b", "c"], #"unexpected argument "c""#),
    (["tokenize", "x", "--max-length", "5000"], #"--max-length expects an integer from 1 to 4096, got "5000""#),
    (["tokenize", "x", "--max-length", "12.5"], #"--max-length expects an integer from 1 to 4096, got "12.5""#),
    (["concat", "--separator=", "a"], #"--separator expects a non-empty string, got """#),
    (["concat"], "missing required argument <files>..."),
    (["pretrian"], "unknown command 'pretrian' (did you mean 'pretrain'?)"),
    (["frobnicate"], "unknown command 'frobnicate'; run 'shenzhou --help' to list the commands"),
    (["--verbose"], "unknown option --verbose; give a command first, such as 'shenzhou help'"),
    (["--versoin"], "unknown option --versoin (did you mean --version?); give a command first, such as 'shenzhou help'"),
    (["help", "pretrian"], "unknown command 'pretrian' (did you mean 'pretrain'?)"),
    (["vocab"], "'shenzhou vocab' needs a command: build or show"),
    (["vocab", "biuld"], "unknown command 'biuld' (did you mean 'build'?)"),
    (["vocab", "--size", "3"], "'shenzhou vocab' expects a command before options, got --size; run 'shenzhou vocab --help'"),
    (["fail"], "missing required option --mode <mode>"),
    (["fail", "--mode", "usage"], "--mode usage is only accepted on Tuesdays"),
  ]

  @Test(arguments: usageErrors)
  func usageErrorIsOneLineWithStatus2(arguments: [String], message: String) {
    let run = ToolRun(arguments)
    #expect(run.status == 2)
    #expect(run.error == "error: \(message)\n")
    #expect(run.output == "")
  }

  @Test func runtimeErrorHasStatus1() {
    let run = ToolRun(["fail", "--mode", "runtime"])
    #expect(run.status == 1)
    #expect(run.error == "error: cannot read corpus.txt: file is empty\n")
  }

  @Test func multilineErrorPrintedOnOneLine() {
    let run = ToolRun(["fail", "--mode", "multiline"])
    #expect(run.status == 1)
    #expect(run.error == #"error: cannot parse config.json: line 3: missing "vocab_size""# + "\n")
  }

  @Test func exitCodeEndsSilently() {
    let run = ToolRun(["fail", "--mode", "exit"])
    #expect(run.status == 3)
    #expect(run.error == "")
    #expect(run.output == "")
  }

  @Test func localizedErrorUsesItsDescription() {
    let run = ToolRun(["fail", "--mode", "localized"])
    #expect(run.status == 1)
    #expect(run.error == "error: the checkpoint was written by a newer version\n")
  }

  @Test func foundationErrorIsReadable() {
    let run = ToolRun(["fail", "--mode", "foundation"])
    #expect(run.status == 1)
    #expect(run.error.hasPrefix("error: "))
    #expect(run.error.contains("shenzhou-missing.txt"))
    #expect(!run.error.contains("Error Domain"))
    #expect(run.error.filter(\.isNewline).count == 1)
  }

  @Test func undeclaredOptionIsInternalError() {
    let run = ToolRun(["fail", "--mode", "undeclared"])
    #expect(run.status == 1)
    #expect(
      run.error
        == "error: internal error in the command definition: --undeclared is read but not declared in the configuration of 'shenzhou fail'\n"
    )
  }
}
