import Foundation
import ShenzhouCLIKit
import ShenzhouModels

/// `shenzhou info`: prints a model's configuration and parameter count.
struct InfoCommand: Command {
  static let model = Option<String>("model", valueName: "dir", help: "Hugging Face model directory to inspect.")

  static let configuration = CommandConfiguration(
    name: "info",
    abstract: "Print a model's config.json fields and its parameter count.",
    discussion: """
      Output: the resolved BERT config as JSON (Hugging Face field names), then the
      weight format and the number of parameters (tied weights counted once).
      """,
    arguments: [model])

  let model: String

  init(parsed: ParsedArguments) throws {
    model = try parsed[Self.model]
  }

  func run() throws {
    let directory = try ModelDirectory(path: model)
    let (network, report) = try BertForMaskedLM.load(directory: directory, allowMissingHead: true)
    print(network.config.json().serialized())
    let format: String =
      switch directory.weightFormat {
      case .safetensors: "model.safetensors"
      case .shardedSafetensors: "sharded safetensors (model.safetensors.index.json)"
      case .pickle: "pytorch_model.bin"
      case .shardedPickle: "sharded pytorch_model.bin"
      case nil: "none"
      }
    print("weights: \(format)")
    print("parameters: \(network.parameterCount) (\(formatCount(network.parameterCount)))")
    if !report.initializedKeys.isEmpty {
      print("note: the checkpoint has no MLM head (\(report.initializedKeys.count) tensors absent)")
    }
  }
}

/// 102267648 → "102.3M"
func formatCount(_ count: Int) -> String {
  switch count {
  case 1_000_000_000...: String(format: "%.2fB", Double(count) / 1e9)
  case 1_000_000...: String(format: "%.1fM", Double(count) / 1e6)
  case 1_000...: String(format: "%.1fK", Double(count) / 1e3)
  default: String(count)
  }
}
