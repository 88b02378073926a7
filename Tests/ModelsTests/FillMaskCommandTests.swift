import Foundation
import ShenzhouModels
import ShenzhouTestSupport
import Testing

/// `shenzhou fill-mask` on a directory with tokenizer.json only, against transformers on the same inputs.
@Suite(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
struct FillMaskCommandTests {
  let lines = ["中国[MASK]是一个大[MASK]家", "", "没有掩码的句子", "hello [MASK] world", "[MASK]"]

  @Test func topFiveMatchesTransformers() throws {
    let model = try TinyBertFixtures.path("tokenizer_json_only")
    let ours = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["fill-mask", "--model", model, "--top-k", "5"],
      input: lines.joined(separator: "\n") + "\n")
    try #require(ours.status == 0, "fill-mask failed: \(ours.stderr)")
    let outputLines = ours.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(outputLines.count == lines.count)

    let script = """
      import json, sys, torch
      from transformers import AutoTokenizer, BertForMaskedLM
      tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
      model = BertForMaskedLM.from_pretrained(sys.argv[1]).eval()
      for line in sys.stdin.read().split("\\n")[:-1]:
          encoded = tokenizer(line, return_tensors="pt")
          with torch.no_grad():
              logits = model(**encoded).logits[0]
          ids = encoded["input_ids"][0]
          masks = []
          for position in (ids == tokenizer.mask_token_id).nonzero().flatten().tolist():
              probabilities = logits[position].softmax(-1)
              values, indices = probabilities.topk(5)
              masks.append({"position": position, "ids": indices.tolist(), "scores": values.tolist()})
          print(json.dumps(masks))
      """
    let reference = try TestEnvironment.runPython(
      script, arguments: [model], input: lines.joined(separator: "\n") + "\n"
    ).split(separator: "\n")
    #expect(reference.count == lines.count)

    for (index, line) in outputLines.enumerated() where index < reference.count {
      let ourJSON = try JSONValue.parse(String(line))
      #expect(ourJSON["text"]?.stringValue == lines[index])
      let ourMasks = try #require(ourJSON["masks"]?.arrayValue)
      let theirMasks = try #require(JSONValue.parse(String(reference[index])).arrayValue)
      #expect(ourMasks.count == theirMasks.count, "line \(index)")
      for (ourMask, theirMask) in zip(ourMasks, theirMasks) {
        #expect(ourMask["position"]?.intValue == theirMask["position"]?.intValue)
        let predictions = ourMask["predictions"]?.arrayValue ?? []
        let ids = predictions.compactMap { $0["id"]?.intValue }
        let scores = predictions.compactMap { $0["score"]?.doubleValue }
        #expect(ids == theirMask["ids"]?.arrayValue?.compactMap(\.intValue))
        for (score, expected) in zip(scores, theirMask["scores"]?.arrayValue?.compactMap(\.doubleValue) ?? []) {
          #expect(Swift.abs(score - expected) < 1e-4)
        }
        #expect(predictions.allSatisfy { $0["token"]?.stringValue?.isEmpty == false })
      }
    }
  }

  @Test func badArgumentsGiveOneLineErrors() throws {
    let missing = try TestEnvironment.run(TestEnvironment.shenzhouBinary, ["fill-mask", "--model", "/nonexistent/dir"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("/nonexistent/dir"))
    let badK = try TestEnvironment.run(TestEnvironment.shenzhouBinary, ["fill-mask", "--model", "x", "--top-k", "0"])
    #expect(badK.status == 2)
    #expect(badK.stderr.split(separator: "\n").count == 1)
    let badDevice = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["fill-mask", "--model", try TinyBertFixtures.path("tokenizer_json_only"), "--device", "tpu"])
    #expect(badDevice.status == 2)
    #expect(badDevice.stderr.contains("cpu, cuda or cuda:N"))
  }

  @Test func infoPrintsConfigAndCount() throws {
    let result = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary, ["info", "--model", try TinyBertFixtures.path("gelu_new_bin")])
    try #require(result.status == 0, "info failed: \(result.stderr)")
    #expect(result.stdout.contains("\"hidden_act\": \"gelu_new\""))
    #expect(result.stdout.contains("weights: pytorch_model.bin"))
    #expect(result.stdout.contains("parameters: "))
  }
}
