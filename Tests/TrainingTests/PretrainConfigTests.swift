import Foundation
import ShenzhouTestSupport
import ShenzhouTraining
import Testing

@Suite struct PretrainConfigTests {
  @Test func docsListEveryKey() throws {
    let docs = try String(contentsOfFile: TestEnvironment.repositoryRoot + "/docs/pretraining.md", encoding: .utf8)
    for key in PretrainConfig.keys {
      #expect(docs.contains("`\(key.name)`"), "docs/pretraining.md does not list \(key.name)")
    }
  }

  @Test func nestedFileAndOverridesResolve() throws {
    let directory = try TestEnvironment.temporaryDirectory("config")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/config.json"
    try #"{"data": {"corpus": "c", "batch_size": 8}, "model": {"attention_residual": {"mode": "per_head", "decay": [0.1, 0.2, 0.3, 0.4]}}}"#
      .write(toFile: path, atomically: true, encoding: .utf8)
    let config = try PretrainConfig.load(path: path, overrides: ["optim.lr=3e-4", "run.output_dir=runs/x"])
    #expect(config.batchSize == 8)
    #expect(config.learningRate == 3e-4)
    #expect(config.outputDirectory == "runs/x")
    #expect(try config.attentionResidualConfig()?.decay == [0.1, 0.2, 0.3, 0.4])
    // The resolved config round-trips through its JSON form.
    let saved = directory + "/resolved.json"
    try config.json.serialized().write(toFile: saved, atomically: true, encoding: .utf8)
    let reloaded = try PretrainConfig.load(path: saved, overrides: [])
    #expect(reloaded.json == config.json)
  }

  @Test func typoAndBadValuesAreRejected() throws {
    #expect(throws: PretrainConfigError.self) { try PretrainConfig.load(path: nil, overrides: ["data.corpus=c", "optim.lrr=1"]) }
    #expect(throws: PretrainConfigError.self) { try PretrainConfig.load(path: nil, overrides: ["data.corpus=c", "data.batch_size=0"]) }
    #expect(throws: PretrainConfigError.self) { try PretrainConfig.load(path: nil, overrides: ["data.corpus=c", "noequals"]) }
    #expect(throws: PretrainConfigError.self) {
      try PretrainConfig.load(path: nil, overrides: ["data.corpus=c", "objective.layerwise_layers=[1]"])
    }
    #expect(throws: PretrainConfigError.self) { try PretrainConfig.load(path: "/nonexistent/config.json", overrides: []) }
  }
}
