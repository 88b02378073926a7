import ShenzhouCLIKit
import Testing

@Suite struct HelpTests {
  @Test func toolHelpSnapshot() {
    let run = ToolRun(["--help"])
    #expect(run.status == 0)
    #expect(run.error == "")
    #expect(run.output == Self.toolHelp)
  }

  @Test func commandHelpSnapshot() {
    let run = ToolRun(["pretrain", "--help"])
    #expect(run.status == 0)
    #expect(run.error == "")
    #expect(run.output == Self.pretrainHelp)
  }

  @Test func positionalHelpSnapshot() {
    #expect(ToolRun(["tokenize", "-h"]).output == Self.tokenizeHelp)
  }

  @Test func groupHelpSnapshot() {
    #expect(ToolRun(["vocab", "--help"]).output == Self.vocabHelp)
    #expect(ToolRun(["help", "vocab"]).output == Self.vocabHelp)
  }

  @Test func helpCommandMatchesHelpOption() {
    #expect(ToolRun(["help", "pretrain"]).output == Self.pretrainHelp)
    #expect(ToolRun(["help"]).output == Self.toolHelp)
    #expect(ToolRun([]).output == Self.toolHelp)
    #expect(ToolRun(["help", "vocab", "build"]).output == ToolRun(["vocab", "build", "--help"]).output)
  }

  @Test func helpWinsOverOtherErrors() {
    let run = ToolRun(["pretrain", "--topk", "x", "--help"])
    #expect(run.status == 0)
    #expect(run.output == Self.pretrainHelp)
  }

  @Test func helpAfterDoubleDashIsValue() throws {
    let command = try #require(try parseCommand(["concat", "--", "--help"], as: Concat.self))
    #expect(command.files == ["--help"])
  }

  @Test func versionOutput() {
    let run = ToolRun(["--version"])
    #expect(run.status == 0)
    #expect(run.output == "shenzhou 0.1.0\n")
  }

  @Test func helpLinesFitEightyColumns() {
    for arguments in [["--help"], ["pretrain", "--help"], ["tokenize", "--help"], ["vocab", "--help"]] {
      for line in ToolRun(arguments).output.split(separator: "\n") {
        #expect(line.count <= 80, "\(arguments): \(line)")
      }
    }
  }

  // MARK: - Snapshots

  static let toolHelp =     """
    Pretrain and fine-tune Chinese BERT encoders.

    Usage: shenzhou <command> [options]

    Commands:
      pretrain                Pretrain an encoder with masked language modelling.
      tokenize                Split text into WordPiece tokens.
      concat                  Join files.
      vocab                   Build and inspect vocabularies.
      fail                    Fail on purpose.
      help                    Show help for a command.

    Options:
      -h, --help              Show help and exit.
      --version               Show the version and exit.

    Run 'shenzhou help <command>' for the options of a command.

    """

  static let pretrainHelp =     """
    Pretrain an encoder with masked language modelling.

    Usage: shenzhou pretrain --corpus <path>... [--steps <n>] [--warmup-steps <n>]
                             [--lr <rate>] [--top-k <n>] [--device <device>]
                             [--seed <seed>] (--vocab <file> | --model <dir>)
                             [--set <key=value>...] [--fp16] [--[no-]shuffle]

    Options:
      --corpus <path>...      Text file with one sentence per line. (a string;
                              repeatable; required)
      --steps <n>             Number of training steps. (a positive integer, in
                              optimizer steps; default: 1000)
      --warmup-steps <n>      Steps of linear learning-rate warmup. (a non-negative
                              integer, in optimizer steps; default: 0)
      --lr <rate>             Peak learning rate. (a positive number; default:
                              0.0001)
      -k, --top-k <n>         Number of predictions to log for each masked position.
                              (a positive integer; default: 5)
      --device <device>       Where to run the model. (one of cpu, cuda; default:
                              cpu)
      --seed <seed>           Random seed; a fresh one is drawn when absent. (an
                              integer)
      --vocab <file>          Vocabulary for a new model. (a string; not with
                              --model)
      --model <dir>           Model folder to continue training. (a string; not with
                              --vocab)
      --set <key=value>...    Override a numeric hyperparameter. (a KEY=VALUE pair
                              with VALUE a number; repeatable)
      --fp16                  Compute in half precision.
      --[no-]shuffle          Shuffle the corpus every epoch. (default: on)
      -h, --help              Show help and exit.

    Output: RUN/metrics.json, one object per logged step:
      {"step": Int, "loss": Double, "lr": Double}

    """

  static let tokenizeHelp =     """
    Split text into WordPiece tokens.

    Usage: shenzhou tokenize [--max-length <n>] [--offset <offset>] <input>
                             [<output>]

    Arguments:
      <input>                 Text file to tokenize. (a string; required)
      <output>                Where to write token ids; standard output when absent.
                              (a string)

    Options:
      --max-length <n>        Longest sequence to emit. (an integer from 1 to 4096,
                              in tokens; default: 512)
      --offset <offset>       Value added to every score. (a number; default: 0.0)
      -h, --help              Show help and exit.

    """

  static let vocabHelp =     """
    Build and inspect vocabularies.

    Usage: shenzhou vocab <command> [options]

    Commands:
      build                   Build a vocabulary from a corpus.
      show                    Print a vocabulary.

    Run 'shenzhou vocab <command> --help' for the options of a command.

    """
}
