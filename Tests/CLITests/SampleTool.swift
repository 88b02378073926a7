import Foundation
import ShenzhouCLIKit

// MARK: - Sample tool

/// A tool with commands that exercise every kind of definition, which the tests parse, run and
/// print help for it.
let sampleTool = CommandLineTool(
  name: "shenzhou",
  version: "0.1.0",
  abstract: "Pretrain and fine-tune Chinese BERT encoders.",
  commands: [Pretrain.self, Tokenize.self, Concat.self, Vocab.self, Fail.self])

enum Device: String, ArgumentEnum {
  case cpu, cuda
}

struct Pretrain: Command {
  static let corpus = Option<[String]>(
    "corpus", valueName: "path", help: "Text file with one sentence per line.")
  static let steps = Option<Int>(
    "steps", default: 1000, constraint: .positive, valueName: "n", unit: "optimizer steps",
    help: "Number of training steps.")
  static let warmupSteps = Option<Int>(
    "warmup-steps", default: 0, constraint: .nonNegative, valueName: "n", unit: "optimizer steps",
    help: "Steps of linear learning-rate warmup.")
  static let learningRate = Option<Double>(
    "lr", default: 0.0001, constraint: .positive, valueName: "rate", help: "Peak learning rate.")
  static let topK = Option<Int>(
    "top-k", short: "k", default: 5, constraint: .positive, valueName: "n",
    help: "Number of predictions to log for each masked position.")
  static let device = Option<Device>("device", default: .cpu, help: "Where to run the model.")
  static let seed = Option<Int?>("seed", help: "Random seed; a fresh one is drawn when absent.")
  static let vocab = Option<String?>("vocab", valueName: "file", help: "Vocabulary for a new model.")
  static let model = Option<String?>("model", valueName: "dir", help: "Model folder to continue training.")
  static let overrides = Option<[KeyValue<Double>]>(
    "set", default: [], valueName: "key=value", help: "Override a numeric hyperparameter.")
  static let fp16 = Flag("fp16", help: "Compute in half precision.")
  static let shuffle = Flag("shuffle", default: true, help: "Shuffle the corpus every epoch.")

  static let configuration = CommandConfiguration(
    name: "pretrain",
    abstract: "Pretrain an encoder with masked language modelling.",
    discussion: """
      Output: RUN/metrics.json, one object per logged step:
        {"step": Int, "loss": Double, "lr": Double}
      """,
    arguments: [
      corpus, steps, warmupSteps, learningRate, topK, device, seed, vocab, model, overrides, fp16,
      shuffle,
    ],
    exclusiveGroups: [ExclusiveGroup(vocab, model, required: true)])

  let corpus: [String]
  let steps: Int
  let warmupSteps: Int
  let learningRate: Double
  let topK: Int
  let device: Device
  let seed: Int?
  let vocab: String?
  let model: String?
  let overrides: [String: Double]
  let fp16: Bool
  let shuffle: Bool
  let stepsGiven: Bool

  init(parsed: ParsedArguments) throws {
    corpus = try parsed[Self.corpus]
    steps = try parsed[Self.steps]
    warmupSteps = try parsed[Self.warmupSteps]
    learningRate = try parsed[Self.learningRate]
    topK = try parsed[Self.topK]
    device = try parsed[Self.device]
    seed = try parsed[Self.seed]
    vocab = try parsed[Self.vocab]
    model = try parsed[Self.model]
    overrides = try parsed.dictionary(Self.overrides)
    fp16 = try parsed[Self.fp16]
    shuffle = try parsed[Self.shuffle]
    stepsGiven = parsed.isGiven(Self.steps)
  }

  func validate() throws {
    guard warmupSteps < steps else {
      throw UsageError("--warmup-steps (\(warmupSteps)) must be smaller than --steps (\(steps))")
    }
  }

  func run() throws {}
}

struct Tokenize: Command {
  static let input = Argument<String>("input", help: "Text file to tokenize.")
  static let output = Argument<String?>("output", help: "Where to write token ids; standard output when absent.")
  static let maxLength = Option<Int>(
    "max-length", default: 512, constraint: .range(1...4096), valueName: "n", unit: "tokens",
    help: "Longest sequence to emit.")
  static let offset = Option<Double>("offset", default: 0, help: "Value added to every score.")

  static let configuration = CommandConfiguration(
    name: "tokenize", abstract: "Split text into WordPiece tokens.",
    arguments: [input, output, maxLength, offset])

  let input: String
  let output: String?
  let maxLength: Int
  let offset: Double

  init(parsed: ParsedArguments) throws {
    input = try parsed[Self.input]
    output = try parsed[Self.output]
    maxLength = try parsed[Self.maxLength]
    offset = try parsed[Self.offset]
  }

  func run() throws {}
}

struct Concat: Command {
  static let files = Argument<[String]>("files", help: "Files to join.")
  static let separator = Option<String>("separator", default: "\n", constraint: .nonEmpty, help: "Text between files.")

  static let configuration = CommandConfiguration(
    name: "concat", abstract: "Join files.", arguments: [files, separator])

  let files: [String]
  let separator: String

  init(parsed: ParsedArguments) throws {
    files = try parsed[Self.files]
    separator = try parsed[Self.separator]
  }

  func run() throws {}
}

// MARK: - Group

struct Vocab: CommandGroup {
  static let configuration = CommandConfiguration(
    name: "vocab", abstract: "Build and inspect vocabularies.", subcommands: [Build.self, Show.self])

  struct Build: Command {
    static let size = Option<Int>("size", default: 21128, constraint: .positive, unit: "tokens", help: "Vocabulary size.")
    static let configuration = CommandConfiguration(
      name: "build", abstract: "Build a vocabulary from a corpus.", arguments: [size])

    let size: Int
    init(parsed: ParsedArguments) throws { size = try parsed[Self.size] }
    func run() throws {}
  }

  struct Show: Command {
    static let configuration = CommandConfiguration(name: "show", abstract: "Print a vocabulary.")
    init(parsed: ParsedArguments) throws {}
    func run() throws {}
  }
}

// MARK: - Failing command

/// Fails in `run()` in the way `--mode` selects, to check how the tool reports errors.
struct Fail: Command {
  enum Mode: String, ArgumentEnum {
    case runtime, multiline, exit, localized, foundation, usage, undeclared
  }

  struct ReadError: Error, CustomStringConvertible {
    let description: String
  }

  static let mode = Option<Mode>("mode", help: "How to fail.")
  static let undeclared = Option<Int>("undeclared", default: 1, help: "An option missing from the configuration.")
  static let configuration = CommandConfiguration(
    name: "fail", abstract: "Fail on purpose.", arguments: [mode])

  let mode: Mode

  init(parsed: ParsedArguments) throws {
    mode = try parsed[Self.mode]
    if mode == .undeclared {
      _ = try parsed[Self.undeclared]
    }
  }

  func run() throws {
    switch mode {
    case .runtime:
      throw ReadError(description: "cannot read corpus.txt: file is empty")
    case .multiline:
      throw ReadError(description: "cannot parse config.json:\n  line 3: missing \"vocab_size\"\n")
    case .exit:
      throw ExitCode(3)
    case .localized:
      throw LocalizedFailure()
    case .foundation:
      _ = try String(contentsOfFile: "/nonexistent/shenzhou-missing.txt", encoding: .utf8)
    case .usage:
      throw UsageError("--mode usage is only accepted on Tuesdays")
    case .undeclared:
      break
    }
  }
}

struct LocalizedFailure: LocalizedError {
  var errorDescription: String? { "the checkpoint was written by a newer version" }
}
