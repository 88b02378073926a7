import Foundation
import ShenzhouModels
import ShenzhouTestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
struct BertParityTests {
  func loadModel(_ name: String) throws -> BertForMaskedLM {
    let (model, report) = try BertForMaskedLM.load(directory: ModelDirectory(path: TinyBertFixtures.path(name)))
    #expect(report.unusedKeys.allSatisfy { $0.hasPrefix("cls.seq_relationship.") })
    return model
  }

  func inputs(_ reference: [String: Tensor]) throws -> (BertInputs, Tensor) {
    let batch = BertInputs(
      inputIds: try #require(reference["input_ids"]), tokenTypeIds: reference["token_type_ids"],
      attentionMask: reference["attention_mask"])
    return (batch, try #require(reference["labels"]))
  }

  @Test(arguments: TinyBertFixtures.names)
  func forwardMatchesTransformers(name: String) throws {
    let model = try loadModel(name)
    let reference = try TinyBertFixtures.reference(name)
    let (batch, labels) = try inputs(reference)
    let output = try withNoGrad { try model(batch, labels: labels) }

    #expect(try maxAbsDifference(output.encoder.lastHiddenState, #require(reference["last_hidden_state"])) < 1e-5)
    #expect(try maxAbsDifference(#require(output.encoder.pooledOutput), #require(reference["pooled_output"])) < 1e-4)
    #expect(try maxAbsDifference(output.logits, #require(reference["logits"])) < 1e-4)
    #expect(try maxAbsDifference(#require(output.loss).reshaped([1]), #require(reference["loss"])) < 1e-5)
  }

  @Test(arguments: TinyBertFixtures.names)
  func gradientsMatchTransformers(name: String) throws {
    let model = try loadModel(name)
    let reference = try TinyBertFixtures.reference(name)
    let (batch, labels) = try inputs(reference)
    try #require(model(batch, labels: labels).loss).backward()

    var compared = 0
    for (key, parameter) in model.namedParameters() {
      guard let expected = reference["grad." + key] else { continue }
      let actual = try #require(parameter.grad, "no gradient for \(key)")
      // Some gradients are zero up to rounding (the key bias cancels in the softmax), so an absolute floor of
      // 1e-7 keeps the relative bound meaningful.
      let difference = try maxAbsDifference(actual, expected)
      let scale = try expected.abs().max().item()
      #expect(difference <= 1e-4 * scale + 1e-7, "gradient of \(key) differs by \(difference) (scale \(scale))")
      compared += 1
    }
    // Every parameter except the pooler (not on the MLM loss path) has a reference gradient.
    #expect(compared == model.namedParameters().filter { !$0.0.hasPrefix("bert.pooler") }.count)
  }

  @Test func sparseHeadMatchesDenseLoss() throws {
    let model = try loadModel("gelu_safetensors")
    let reference = try TinyBertFixtures.reference("gelu_safetensors")
    let (batch, labels) = try inputs(reference)
    let sparse = try withNoGrad { try model.sparse(batch, labels: labels) }
    #expect(sparse.logits.shape == [3, model.config.vocabSize])
    #expect(try maxAbsDifference(#require(sparse.loss).reshaped([1]), #require(reference["loss"])) < 1e-5)
  }

  @Test func explicitScoresPathMatchesFusedPath() throws {
    let model = try loadModel("gelu_new_bin")
    let reference = try TinyBertFixtures.reference("gelu_new_bin")
    let (batch, _) = try inputs(reference)
    let fused = try withNoGrad { try model.bert(batch).lastHiddenState }
    model.bert.usesExplicitScores = true
    let explicit = try withNoGrad { try model.bert(batch).lastHiddenState }
    #expect(try maxAbsDifference(fused, explicit) < 1e-5)
  }

  @Test func savedModelLoadsInTransformersWithSameOutputs() throws {
    let model = try loadModel("relu_sharded")
    let reference = try TinyBertFixtures.reference("relu_sharded")
    let (batch, _) = try inputs(reference)
    let ours = try withNoGrad { try model(batch).logits }
    let output = try TestEnvironment.temporaryDirectory("save")
    defer { try? FileManager.default.removeItem(atPath: output) }
    try model.save(to: output)

    let script = """
      import sys, torch
      from safetensors.torch import load_file, save_file
      from transformers import BertForMaskedLM
      model, info = BertForMaskedLM.from_pretrained(sys.argv[1], output_loading_info=True)
      assert not info["missing_keys"], info
      # The pooler is kept in the export for later fine-tuning; BertForMaskedLM has none and ignores it.
      assert set(info["unexpected_keys"]) <= {"bert.pooler.dense.weight", "bert.pooler.dense.bias"}, info
      ref = load_file(sys.argv[2])
      model.eval()
      with torch.no_grad():
          out = model(input_ids=ref["input_ids"], token_type_ids=ref["token_type_ids"],
                      attention_mask=ref["attention_mask"]).logits
      save_file({"logits": out.contiguous()}, sys.argv[3])
      """
    let resultPath = output + "/hf_logits.safetensors"
    _ = try TestEnvironment.runPython(
      script, arguments: [output, try TinyBertFixtures.path("relu_sharded") + "/reference.safetensors", resultPath])
    let theirs = try #require(SafeTensorsIO.read(path: resultPath).first?.1)
    #expect(try maxAbsDifference(ours, theirs) < 1e-5)
  }
}

@Suite struct CheckpointErrorTests {
  @Test func mismatchListsEveryProblem() throws {
    var config = BertConfig()
    config.vocabSize = 50
    config.hiddenSize = 16
    config.numHiddenLayers = 1
    config.numAttentionHeads = 2
    config.intermediateSize = 20
    config.maxPositionEmbeddings = 16
    let model = try BertForMaskedLM(config: config)
    var entries = model.namedParameters().map { ($0.0, $0.1.value) }
    entries.removeAll { $0.0 == "bert.encoder.layer.0.output.dense.bias" }
    let biasIndex = try #require(entries.firstIndex { $0.0 == "cls.predictions.bias" })
    entries[biasIndex] = ("cls.predictions.bias", try Tensor.zeros([7]))
    entries.append(("bert.encoder.layer.9.output.dense.bias", try Tensor.zeros([16])))
    let error = #expect(throws: CheckpointMismatchError.self) {
      try model.loadStateDict(entries, source: "test")
    }
    #expect(error?.missingKeys == ["bert.encoder.layer.0.output.dense.bias"])
    #expect(error?.unexpectedKeys == ["bert.encoder.layer.9.output.dense.bias"])
    #expect(error?.shapeMismatches.map(\.0) == ["cls.predictions.bias"])
    #expect(error?.description.contains("model has [50], checkpoint has [7]") == true)
  }

  @Test func invalidConfigNamesField() throws {
    let directory = try TestEnvironment.temporaryDirectory("config")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/config.json"
    try #"{"hidden_size": 30, "num_attention_heads": 4}"#.write(toFile: path, atomically: true, encoding: .utf8)
    let error = #expect(throws: ConfigError.self) { try BertConfig.load(path: path) }
    #expect(error?.field == "num_attention_heads")
    try #"{"hidden_act": "swiglu"}"#.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: ConfigError.self) { try BertConfig.load(path: path) }
    try #"{"hidden_size": 30,"#.write(toFile: path, atomically: true, encoding: .utf8)
    let syntax = #expect(throws: ConfigError.self) { try BertConfig.load(path: path) }
    #expect(syntax?.description.contains("line 1") == true)
  }

  @Test func missingDirectoryAndWeights() throws {
    #expect(throws: CheckpointError.self) { try ModelDirectory(path: "/nonexistent/model") }
    let directory = try TestEnvironment.temporaryDirectory("noweights")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try "{}".write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
    #expect(throws: CheckpointError.self) { try ModelDirectory(path: directory).readWeights() }
  }
}
