import Foundation
import ShenzhouFinetune
import ShenzhouTestSupport

/// A small vocabulary, tokenizer, model configs and synthetic examples for fine-tuning tests.
enum FinetuneFixtures {
  static let characters = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经")

  static let vocabulary: [String] =
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + ["hello", "world", "##s", "##ing", "##ed", "play", "a", "b", "c", ",", "."]
    + characters.map(String.init)

  /// Writes vocab.txt into a new temporary directory and returns the directory.
  static func vocabularyDirectory() throws -> String {
    let directory = try TestEnvironment.temporaryDirectory("finetune-vocab")
    try (vocabulary.joined(separator: "\n") + "\n").write(
      toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
    return directory
  }

  static func tokenizer() throws -> BertTokenizer {
    let directory = try vocabularyDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try BertTokenizer(vocabFile: directory + "/vocab.txt")
  }

  static func config(labels: Int = 3, dropout: Double = 0.1) -> BertConfig {
    var config = BertConfig()
    config.vocabSize = vocabulary.count
    config.hiddenSize = 32
    config.numHiddenLayers = 2
    config.numAttentionHeads = 4
    config.intermediateSize = 48
    config.maxPositionEmbeddings = 64
    config.hiddenDropoutProb = dropout
    config.attentionProbsDropoutProb = dropout
    config.setLabels((0..<labels).map { "label\($0)" })
    return config
  }

  /// Returns `count` texts (and pairs) of characters from the vocabulary, labelled by their first character, so
  /// that the labels can be learned. Equal arguments give equal examples.
  static func classificationExamples(count: Int, labels: Int = 3, pairs: Bool = false, seed: UInt64 = 1)
    -> [ClassificationExample]
  {
    var state = seed
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    func text() -> String {
      String((0..<(3 + next(10))).map { _ in characters[next(characters.count)] })
    }
    return (0..<count).map { _ in
      let body = text()
      let first = characters.firstIndex(of: body.first ?? "的") ?? 0
      return ClassificationExample(text: body, pair: pairs ? text() : nil, label: first % labels)
    }
  }
}

/// Collects the events of a run.
final class EventLog: @unchecked Sendable {
  var events: [FinetuneEvent] = []

  var losses: [Double] {
    events.compactMap { event in
      if case .step(let record) = event { return record.loss }
      return nil
    }
  }

  var names: [String] {
    events.map { event in
      switch event {
      case .started: "started"
      case .step: "step"
      case .evaluated: "evaluated"
      case .checkpointSaved: "checkpointSaved"
      case .finished: "finished"
      }
    }
  }
}
