import Foundation
import ShenzhouModels
import ShenzhouTestSupport
import Testing

/// Loading task heads from pretraining checkpoints, from fine-tuned checkpoints with other labels, and from
/// invalid configs.
@Suite(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
struct HeadLoadingTests {
  /// Returns the `BertForPreTraining` checkpoint from make_tiny_bert.py, which has pooler, MLM and NSP heads.
  func pretrainingDirectory() throws -> ModelDirectory {
    try ModelDirectory(path: TinyBertFixtures.path("gelu_safetensors"))
  }

  func checkpointTensors(_ directory: ModelDirectory) throws -> [String: Tensor] {
    Dictionary(try directory.readWeights(), uniquingKeysWith: { first, _ in first })
  }

  @Test func pretrainingCheckpointInitializesClassifier() throws {
    let directory = try pretrainingDirectory()
    let generator = try Generator(seed: 5)
    let (model, report) = try BertForSequenceClassification.load(
      directory: directory, labels: ["a", "b", "c", "d"], generator: generator)
    #expect(report.initializedKeys.sorted() == ["classifier.bias", "classifier.weight"])
    #expect(report.unusedKeys.contains("cls.seq_relationship.weight"))
    #expect(report.unusedKeys.contains("cls.predictions.transform.dense.weight"))
    #expect(model.classifier.weight.value.shape == [4, model.config.hiddenSize])
    #expect(try model.classifier.bias.map { try $0.value.abs().max().item() } == 0)
    let spread = try model.classifier.weight.value.square().mean().sqrt().item()
    #expect(abs(spread - model.config.initializerRange) < 0.006, "weight std \(spread)")
    let tensors = try checkpointTensors(directory)
    let pooler = try #require(tensors["bert.pooler.dense.weight"])
    #expect(try maxAbsDifference(model.bert.pooler!.dense.weight.value, pooler) == 0)
  }

  @Test func pretrainingCheckpointLoadsIntoEveryHead() throws {
    let directory = try pretrainingDirectory()
    let token = try BertForTokenClassification.load(directory: directory, labels: ["O", "B", "I"])
    #expect(token.report.initializedKeys.sorted() == ["classifier.bias", "classifier.weight"])
    #expect(token.report.unusedKeys.contains("bert.pooler.dense.weight"))
    let answer = try BertForQuestionAnswering.load(directory: directory)
    #expect(answer.report.initializedKeys.sorted() == ["qa_outputs.bias", "qa_outputs.weight"])
    #expect(answer.model.qaOutputs.weight.value.shape == [2, answer.model.config.hiddenSize])
    let choice = try BertForMultipleChoice.load(directory: directory)
    #expect(choice.report.initializedKeys.sorted() == ["classifier.bias", "classifier.weight"])
    let word = try #require(checkpointTensors(directory)["bert.embeddings.word_embeddings.weight"])
    #expect(try maxAbsDifference(choice.model.bert.embeddings.wordEmbeddings.weight.value, word) == 0)
  }

  @Test func exportWithoutPoolerInitializesPooler() throws {
    let (masked, _) = try BertForMaskedLM.load(directory: ModelDirectory(path: TinyBertFixtures.path("relu_sharded")))
    let stripped = try BertForMaskedLM(config: masked.config)
    try stripped.loadStateDict(
      masked.namedParameters().map { ($0.0, $0.1.value) }, source: "export", ignorableUnused: ["bert.pooler."])
    let output = try TestEnvironment.temporaryDirectory("export")
    defer { try? FileManager.default.removeItem(atPath: output) }
    try stripped.save(to: output)
    let (_, report) = try BertForSequenceClassification.load(directory: ModelDirectory(path: output))
    #expect(
      report.initializedKeys.sorted() == [
        "bert.pooler.dense.bias", "bert.pooler.dense.weight", "classifier.bias", "classifier.weight",
      ])
  }

  @Test func fineTunedCheckpointWithOtherLabels() throws {
    let directory = try TinyHeadFixtures.modelDirectory("sequence_single")
    let mismatch = #expect(throws: CheckpointMismatchError.self) {
      try BertForSequenceClassification.load(directory: directory, labels: ["x", "y"])
    }
    #expect(mismatch?.shapeMismatches.map(\.0).sorted() == ["classifier.bias", "classifier.weight"])
    let (model, report) = try BertForSequenceClassification.load(
      directory: directory, labels: ["x", "y"], reinitializeMismatchedHead: true)
    #expect(report.initializedKeys.sorted() == ["classifier.bias", "classifier.weight"])
    #expect(model.config.labelNames == ["x", "y"])
    let restored = try BertForSequenceClassification.load(directory: directory)
    #expect(restored.report.initializedKeys.isEmpty)
    #expect(restored.model.config.numLabels == 3)
  }

  @Test func otherTaskHeadIsReportedUnused() throws {
    let directory = try TinyHeadFixtures.modelDirectory("question_answering")
    let (_, report) = try BertForTokenClassification.load(directory: directory)
    #expect(report.unusedKeys.sorted() == ["qa_outputs.bias", "qa_outputs.weight"])
    #expect(report.initializedKeys.sorted() == ["classifier.bias", "classifier.weight"])
  }
}

@Suite struct HeadConfigTests {
  func tinyConfig() -> BertConfig {
    var config = BertConfig()
    config.vocabSize = 40
    config.hiddenSize = 16
    config.numHiddenLayers = 1
    config.numAttentionHeads = 2
    config.intermediateSize = 24
    config.maxPositionEmbeddings = 16
    return config
  }

  @Test func labelCountDefaultsToTwo() {
    var config = tinyConfig()
    #expect(config.numLabels == 2)
    #expect(config.labelNames == ["LABEL_0", "LABEL_1"])
    config.extraFields["num_labels"] = .number(5)
    #expect(config.numLabels == 5)
    config.setLabels(["x", "y", "z"])
    #expect(config.numLabels == 3)
    #expect(config.extraFields["num_labels"] == nil)
  }

  @Test func gapInLabelIndicesIsRejected() throws {
    var config = tinyConfig()
    config.id2label = [0: "a", 2: "c"]
    let error = #expect(throws: ConfigError.self) { try BertForSequenceClassification(config: config) }
    #expect(error?.field == "id2label")
    #expect(error?.description.contains("[0, 2]") == true)
  }

  @Test func invalidClassifierDropoutIsRejected() throws {
    var config = tinyConfig()
    config.extraFields["classifier_dropout"] = .number(1.5)
    let error = #expect(throws: ConfigError.self) { try BertForTokenClassification(config: config) }
    #expect(error?.field == "classifier_dropout")
  }

  @Test func unknownProblemTypeIsRejected() throws {
    var config = tinyConfig()
    config.extraFields["problem_type"] = .string("ranking")
    let error = #expect(throws: ConfigError.self) { try BertForSequenceClassification(config: config) }
    #expect(error?.field == "problem_type")
  }

  @Test func maskedChoicesGetNoProbability() throws {
    let model = try BertForMultipleChoice(config: tinyConfig(), generator: Generator(seed: 3))
    model.eval()
    let ids = try Tensor.randint(5, 40, shape: [2, 3, 6], generator: Generator(seed: 4))
    let inputs = BertInputs(inputIds: ids)
    let mask = try Tensor([true, true, false, true, true, true], shape: [2, 3])
    let labels = try Tensor([Int64(1), 2])
    let masked = try withNoGrad { try model(inputs, labels: labels, choiceMask: mask) }
    let probabilities = try masked.logits.softmax(dim: 1).toArray(Float.self)
    #expect(probabilities[2] == 0)
    let plain = try withNoGrad { try model(inputs) }
    let allTrue = try withNoGrad { try model(inputs, choiceMask: Tensor.ones([2, 3], dtype: .bool)) }
    #expect(try maxAbsDifference(plain.logits, allTrue.logits) == 0)
    #expect(try masked.loss.map { try $0.item().isFinite } == true)
  }

  @Test func multipleChoiceNeedsThreeDimensions() throws {
    let model = try BertForMultipleChoice(config: tinyConfig())
    let inputs = BertInputs(inputIds: try Tensor.zeros([2, 5], dtype: .int64))
    #expect(throws: TensorError.self) { try model(inputs) }
  }
}
