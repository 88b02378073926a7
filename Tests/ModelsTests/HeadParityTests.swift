import Foundation
import ShenzhouModels
import ShenzhouTestSupport
import Testing

/// The outputs of one head on a fixture's reference inputs, by the names make_tiny_heads.py stores.
struct HeadRun {
  var model: Module
  var outputs: [String: Tensor]
  var loss: Tensor
}

/// Loads the fixture `name` into its head class and runs it on the reference inputs with the reference labels.
func runHead(_ name: String) throws -> HeadRun {
  let directory = try TinyHeadFixtures.modelDirectory(name)
  let reference = try TinyHeadFixtures.reference(name)
  let inputs = BertInputs(
    inputIds: try #require(reference["input_ids"]), tokenTypeIds: reference["token_type_ids"],
    attentionMask: reference["attention_mask"])
  switch name {
  case "token":
    let (model, _) = try BertForTokenClassification.load(directory: directory)
    let output = try model(inputs, labels: reference["labels"])
    return HeadRun(model: model, outputs: ["logits": output.logits], loss: try #require(output.loss))
  case "question_answering":
    let (model, _) = try BertForQuestionAnswering.load(directory: directory)
    let output = try model(
      inputs, startPositions: reference["start_positions"], endPositions: reference["end_positions"])
    return HeadRun(
      model: model, outputs: ["start_logits": output.startLogits, "end_logits": output.endLogits],
      loss: try #require(output.loss))
  case "multiple_choice":
    let (model, _) = try BertForMultipleChoice.load(directory: directory)
    let output = try model(inputs, labels: reference["labels"])
    return HeadRun(model: model, outputs: ["logits": output.logits], loss: try #require(output.loss))
  default:
    let (model, _) = try BertForSequenceClassification.load(directory: directory)
    let output = try model(inputs, labels: reference["labels"])
    return HeadRun(model: model, outputs: ["logits": output.logits], loss: try #require(output.loss))
  }
}

@Suite(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
struct HeadParityTests {
  @Test(arguments: TinyHeadFixtures.allCases)
  func forwardMatchesTransformers(name: String) throws {
    let reference = try TinyHeadFixtures.reference(name)
    let run = try withNoGrad { try runHead(name) }
    #expect(!run.outputs.isEmpty)
    for (key, actual) in run.outputs {
      let expected = try #require(reference[key], "reference has no \(key)")
      #expect(actual.shape == expected.shape, "\(key) shape")
      #expect(try maxAbsDifference(actual, expected) < 1e-4, "\(key) differs")
    }
    #expect(try maxAbsDifference(run.loss.reshaped([1]), #require(reference["loss"])) < 1e-5)
  }

  @Test(arguments: TinyHeadFixtures.allCases)
  func gradientsMatchTransformers(name: String) throws {
    let reference = try TinyHeadFixtures.reference(name)
    let run = try runHead(name)
    try run.loss.backward()
    let (problems, compared) = try compareGradients(run.model, reference: reference)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    #expect(compared == run.model.namedParameters().count)
  }

  @Test func configKeepsLabelsAndDropout() throws {
    let single = try TinyHeadFixtures.modelDirectory("sequence_single").config()
    #expect(single.labelNames == ["entailment", "neutral", "contradiction"])
    #expect(single.problemType == .singleLabel)
    let regression = try TinyHeadFixtures.modelDirectory("sequence_regression").config()
    #expect(regression.numLabels == 1)
    #expect(regression.problemType == .regression)
    let choice = try TinyHeadFixtures.modelDirectory("multiple_choice").config()
    #expect(choice.classifierDropout == 0.3)
    #expect(choice.effectiveClassifierDropout == 0.3)
    let (model, _) = try BertForMultipleChoice.load(directory: TinyHeadFixtures.modelDirectory("multiple_choice"))
    #expect(model.dropout.probability == 0.3)
  }

  /// Saves every head, loads each save with transformers' `from_pretrained` of the class named in config.json,
  /// and compares the logits transformers computes with ours.
  @Test func savedHeadsLoadInTransformers() throws {
    let output = try TestEnvironment.temporaryDirectory("heads-save")
    defer { try? FileManager.default.removeItem(atPath: output) }
    var ours: [String: [String: Tensor]] = [:]
    for name in TinyHeadFixtures.allCases {
      let run = try withNoGrad { try runHead(name) }
      try #require(run.model as? any BertTaskModel).save(to: output + "/" + name)
      ours[name] = run.outputs
    }
    let script = """
      import json, sys, torch, transformers
      from safetensors.torch import load_file, save_file
      transformers.logging.set_verbosity_error()
      output, fixtures = sys.argv[1], sys.argv[2]
      for name in sys.argv[3:]:
          folder = output + "/" + name
          config = json.load(open(folder + "/config.json"))
          model_class = getattr(transformers, config["architectures"][0])
          model, info = model_class.from_pretrained(folder, output_loading_info=True)
          assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"], info
          ref = load_file(fixtures + "/" + name + "/reference.safetensors")
          model.eval()
          with torch.no_grad():
              out = model(input_ids=ref["input_ids"], token_type_ids=ref["token_type_ids"],
                          attention_mask=ref["attention_mask"])
          names = ["start_logits", "end_logits"] if name == "question_answering" else ["logits"]
          save_file({key: getattr(out, key).contiguous() for key in names}, folder + "/hf.safetensors")
      """
    _ = try TestEnvironment.runPython(
      script, arguments: [output, try TinyHeadFixtures.directory.get()] + TinyHeadFixtures.allCases)
    for name in TinyHeadFixtures.allCases {
      let theirs = Dictionary(
        try SafeTensorsIO.read(path: output + "/" + name + "/hf.safetensors"), uniquingKeysWith: { a, _ in a })
      for (key, actual) in try #require(ours[name]) {
        #expect(try maxAbsDifference(actual, #require(theirs[key])) < 1e-5, "\(name) \(key)")
      }
    }
  }

  @Test func savedConfigListsArchitectureAndLabels() throws {
    let (model, _) = try BertForSequenceClassification.load(
      directory: TinyHeadFixtures.modelDirectory("sequence_single"))
    let output = try TestEnvironment.temporaryDirectory("heads-config")
    defer { try? FileManager.default.removeItem(atPath: output) }
    try model.save(to: output)
    let json = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: output + "/config.json")))
    #expect(json["architectures"] == .array([.string("BertForSequenceClassification")]))
    #expect(json["id2label"]?["2"] == .string("contradiction"))
    #expect(json["label2id"]?["neutral"] == .number(1))
    let reloaded = try BertForSequenceClassification.load(directory: ModelDirectory(path: output))
    #expect(reloaded.report.initializedKeys.isEmpty)
    #expect(reloaded.report.unusedKeys.isEmpty)
    #expect(try maxAbsDifference(reloaded.model.classifier.weight.value, model.classifier.weight.value) == 0)
  }
}
