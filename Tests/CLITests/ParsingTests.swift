import ShenzhouCLIKit
import Testing

@Suite struct ParsingTests {
  @Test func defaultsApplyWhenAbsent() throws {
    let command = try #require(try parseCommand(["pretrain", "--corpus", "a.txt", "--vocab", "v.txt"], as: Pretrain.self))
    #expect(command.corpus == ["a.txt"])
    #expect(command.steps == 1000)
    #expect(command.warmupSteps == 0)
    #expect(command.learningRate == 0.0001)
    #expect(command.topK == 5)
    #expect(command.device == .cpu)
    #expect(command.seed == nil)
    #expect(command.vocab == "v.txt")
    #expect(command.model == nil)
    #expect(command.overrides.isEmpty)
    #expect(command.fp16 == false)
    #expect(command.shuffle == true)
    #expect(command.stepsGiven == false)
  }

  @Test func separateAndInlineValues() throws {
    let command = try #require(
      try parseCommand(
        ["pretrain", "--corpus=a.txt", "--steps", "20", "--lr=0.5", "--device", "cuda", "--seed=7", "--model", "run1"],
        as: Pretrain.self))
    #expect(command.corpus == ["a.txt"])
    #expect(command.steps == 20)
    #expect(command.stepsGiven)
    #expect(command.learningRate == 0.5)
    #expect(command.device == .cuda)
    #expect(command.seed == 7)
    #expect(command.model == "run1")
  }

  @Test func listFromRepeatedOptions() throws {
    let command = try #require(
      try parseCommand(["pretrain", "--corpus", "a", "--vocab", "v", "--corpus", "b"], as: Pretrain.self))
    #expect(command.corpus == ["a", "b"])
  }

  @Test func listTakesValuesUntilNextOption() throws {
    let command = try #require(
      try parseCommand(["pretrain", "--corpus", "a", "b", "c", "--vocab", "v", "--corpus=d", "--corpus", "e"], as: Pretrain.self))
    #expect(command.corpus == ["a", "b", "c", "d", "e"])
    #expect(command.vocab == "v")
  }

  @Test func flagsAndNegation() throws {
    let on = try #require(try parseCommand(["pretrain", "--corpus", "a", "--vocab", "v", "--fp16"], as: Pretrain.self))
    #expect(on.fp16)
    #expect(on.shuffle)
    let off = try #require(try parseCommand(["pretrain", "--no-shuffle", "--corpus", "a", "--vocab", "v"], as: Pretrain.self))
    #expect(!off.shuffle)
    #expect(!off.fp16)
  }

  @Test func keyValuePairs() throws {
    let command = try #require(
      try parseCommand(
        ["pretrain", "--corpus", "a", "--vocab", "v", "--set", "dropout=0.1", "beta2=0.98", "--set", "eps=1e-8"],
        as: Pretrain.self))
    #expect(command.overrides == ["dropout": 0.1, "beta2": 0.98, "eps": 1e-8])
  }

  @Test func shortOptionName() throws {
    let command = try #require(try parseCommand(["pretrain", "-k", "3", "--corpus", "a", "--vocab", "v"], as: Pretrain.self))
    #expect(command.topK == 3)
  }

  @Test func positionalArguments() throws {
    let both = try #require(try parseCommand(["tokenize", "in.txt", "out.txt", "--max-length", "128"], as: Tokenize.self))
    #expect(both.input == "in.txt")
    #expect(both.output == "out.txt")
    #expect(both.maxLength == 128)

    let one = try #require(try parseCommand(["tokenize", "--max-length=64", "in.txt"], as: Tokenize.self))
    #expect(one.input == "in.txt")
    #expect(one.output == nil)
    #expect(one.maxLength == 64)
  }

  @Test func negativeNumberIsValue() throws {
    let command = try #require(try parseCommand(["tokenize", "--offset", "-2.5", "in.txt"], as: Tokenize.self))
    #expect(command.offset == -2.5)
    #expect(command.input == "in.txt")
  }

  @Test func doubleDashEndsOptions() throws {
    let command = try #require(try parseCommand(["concat", "a", "--", "--help", "-x", "--separator"], as: Concat.self))
    #expect(command.files == ["a", "--help", "-x", "--separator"])
    #expect(command.separator == "\n")
  }

  @Test func singleDashIsValue() throws {
    let command = try #require(try parseCommand(["tokenize", "-"], as: Tokenize.self))
    #expect(command.input == "-")
  }

  @Test func positionalListAfterOptions() throws {
    let command = try #require(try parseCommand(["concat", "--separator", ",", "a", "b", "c"], as: Concat.self))
    #expect(command.files == ["a", "b", "c"])
    #expect(command.separator == ",")
  }

  @Test func nestedSubcommand() throws {
    let build = try #require(try parseCommand(["vocab", "build", "--size", "8000"], as: Vocab.Build.self))
    #expect(build.size == 8000)
  }

  @Test func rangeConstraintBounds() throws {
    let low = try #require(try parseCommand(["tokenize", "x", "--max-length", "1"], as: Tokenize.self))
    #expect(low.maxLength == 1)
    let high = try #require(try parseCommand(["tokenize", "x", "--max-length", "4096"], as: Tokenize.self))
    #expect(high.maxLength == 4096)
  }

  @Test func validateRunsAfterParsing() {
    #expect(throws: UsageError("--warmup-steps (10) must be smaller than --steps (10)")) {
      try sampleTool.parse(["pretrain", "--corpus", "a", "--vocab", "v", "--steps", "10", "--warmup-steps", "10"])
    }
  }

  @Test func sampleToolDefinitionsAreValid() {
    #expect(sampleTool.definitionProblems() == [])
  }
}
