import Foundation
import ShenzhouFinetune
import Testing

@Suite struct FinetuneConfigTests {
  func decode(_ text: String) throws -> FinetuneConfig {
    try JSONDecoder().decode(FinetuneConfig.self, from: Data(text.utf8))
  }

  @Test func missingKeysTakeDefaults() throws {
    let config = try decode(#"{"learning_rate": 3e-5, "precision": "bf16", "device": "cuda:1"}"#)
    var expected = FinetuneConfig()
    expected.learningRate = 3e-5
    expected.precision = .bfloat16
    expected.device = .cuda(1)
    #expect(config == expected)
  }

  @Test func encodingRoundTrips() throws {
    var config = FinetuneConfig()
    config.maxSteps = 200
    config.outputDirectory = "/tmp/run"
    config.evalEvery = 50
    config.adam = try AdamHyperparameters(beta1: 0.8, beta2: 0.98, epsilon: 1e-6)
    let data = try JSONEncoder().encode(config)
    let json = try JSONValue.parse(data)
    #expect(json["device"] == .string("cpu"))
    #expect(json["output_dir"] == .string("/tmp/run"))
    #expect(json["adam_beta2"] == .number(0.98))
    #expect(try JSONDecoder().decode(FinetuneConfig.self, from: data) == config)
  }

  @Test func unknownDeviceIsNamed() throws {
    let error = #expect(throws: FinetuneError.self) { try decode(#"{"device": "tpu"}"#) }
    #expect(error == .invalidConfig(field: "device", message: "is \"tpu\"; expected cpu, cuda or cuda:N"))
  }

  @Test func invalidBetaIsNamed() throws {
    let error = #expect(throws: FinetuneError.self) { try decode(#"{"adam_beta1": 1.5}"#) }
    guard case .invalidConfig(let field, _)? = error else {
      Issue.record("expected invalidConfig, got \(String(describing: error))")
      return
    }
    #expect(field == "adam_beta1")
  }

  @Test func maxLengthMustFitPositions() throws {
    var config = FinetuneConfig()
    config.maxLength = 65
    let model = try BertForSequenceClassification(config: FinetuneFixtures.config(), generator: Generator(seed: 1))
    let error = #expect(throws: FinetuneError.self) {
      try Finetuner(
        task: SequenceClassificationTask(labelCount: 3), model: model, tokenizer: FinetuneFixtures.tokenizer(),
        config: config)
    }
    #expect(error?.description.contains("the model has 64 position embeddings") == true)
  }

  @Test func rowWithMismatchedSegmentsIsRejected() throws {
    let feature = TaskFeature(
      exampleIndex: 4, rows: [FeatureRow(ids: [2, 9, 3], typeIDs: [0, 0])], target: .classIndex(0))
    let error = #expect(throws: FinetuneError.self) {
      try TaskBatch.collate([feature], padID: 0, clsID: 2, sepID: 3, byChoices: false, device: .cpu)
    }
    #expect(error?.description.contains("a row has 3 token ids but 2 segment ids") == true)
  }
}
