import Foundation
import ShenzhouModels
import ShenzhouTestSupport
import Testing

/// Published Chinese BERT configs (bert-base-chinese, HFL chinese-roberta-wwm-ext, RBT3) load as BERT, and a
/// shrunk RoBERTa-wwm model, whose pad_token_id is 1, matches transformers in logits and word-embedding gradients.
@Suite struct PublishedConfigTests {
  static let files = ["bert-base-chinese_config.json", "chinese-roberta-wwm-ext_config.json", "rbt3_bert_config.json"]

  @Test(
    .enabled(if: TestEnvironment.sharedDataFile("vocab/rbt3_bert_config.json") != nil, "needs ../shared/data/vocab"),
    arguments: files)
  func publishedConfigParses(file: String) throws {
    let path = try #require(TestEnvironment.sharedDataFile("vocab/" + file))
    let config = try BertConfig.load(path: path)
    #expect(config.vocabSize == 21128)
    #expect(config.hiddenSize == 768)
    #expect(config.numHiddenLayers == (file.hasPrefix("rbt3") ? 3 : 12))
    #expect(config.padTokenId == (file.hasPrefix("chinese-roberta") ? 1 : 0))
    #expect(config.layerNormEps == 1e-12)
    #expect(config.extraFields["pooler_type"]?.stringValue == "first_token_transform")
  }

  @Test(
    .enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"),
    .enabled(
      if: TestEnvironment.sharedDataFile("vocab/chinese-roberta-wwm-ext_config.json") != nil,
      "needs ../shared/data/vocab"))
  func shrunkRobertaWwmMatchesTransformers() throws {
    let source = try #require(TestEnvironment.sharedDataFile("vocab/chinese-roberta-wwm-ext_config.json"))
    let directory = try TestEnvironment.temporaryDirectory("roberta")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let script = """
      import json, sys, torch
      from safetensors.torch import save_file
      from transformers import BertConfig, BertForMaskedLM
      fields = json.load(open(sys.argv[1]))
      fields.update(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48, vocab_size=300)
      torch.manual_seed(0)
      model = BertForMaskedLM(BertConfig(**fields)).eval()
      model.save_pretrained(sys.argv[2])
      ids = torch.tensor([[101, 20, 30, 40, 102, 1, 1, 1]])
      labels = torch.full_like(ids, -100)
      labels[0, 2] = 55
      out = model(input_ids=ids, labels=labels)
      out.loss.backward()
      save_file({"input_ids": ids, "labels": labels, "logits": out.logits.detach().contiguous(),
                 "word_grad": model.bert.embeddings.word_embeddings.weight.grad.contiguous()},
                sys.argv[2] + "/reference.safetensors")
      """
    _ = try TestEnvironment.runPython(script, arguments: [source, directory])
    let reference = Dictionary(
      try SafeTensorsIO.read(path: directory + "/reference.safetensors"), uniquingKeysWith: { a, _ in a })
    let (model, _) = try BertForMaskedLM.load(directory: ModelDirectory(path: directory))
    #expect(model.config.padTokenId == 1)
    let output = try model(BertInputs(inputIds: #require(reference["input_ids"])), labels: reference["labels"])
    #expect(try (output.logits - #require(reference["logits"])).abs().max().item() < 1e-4)
    try #require(output.loss).backward()
    let grad = try #require(model.bert.embeddings.wordEmbeddings.weight.grad)
    let expected = try #require(reference["word_grad"])
    // The matrix is also the tied MLM decoder, so the padding row's gradient is not zero; it must still match.
    #expect(try (grad - expected).abs().max().item() < 1e-6)
  }
}
