import Foundation
import ShenzhouTensors
import Testing

/// Entries of 40, 40, 24, 100 and 8 bytes. At 64 bytes per shard, the 100-byte tensor gets
/// its own shard as soon as it is reached, before the shard holding the two previous
/// tensors is closed, as huggingface_hub's splitter does.
private func shardingEntries() -> [SafeTensorsEntry] {
  [
    SafeTensorsEntry(name: "embeddings.weight", dtype: .float32, shape: [10], scalars: (0..<10).map(Float.init)),
    SafeTensorsEntry(name: "encoder.0.weight", dtype: .float32, shape: [10], scalars: (10..<20).map(Float.init)),
    SafeTensorsEntry(name: "encoder.0.bias", dtype: .float64, shape: [3], scalars: [1.0, 2, 3]),
    SafeTensorsEntry(name: "encoder.1.weight", dtype: .float16, shape: [50], bytes: patternBytes(count: 100, seed: 3, dtype: .float16)),
    SafeTensorsEntry(name: "pooler.bias", dtype: .int64, shape: [1], scalars: [Int64(7)]),
  ]
}

private func writeText(_ text: String, to path: String) throws {
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

@Suite struct SafeTensorsShardedTests {
  @Test func shardsFollowSizeLimit() throws {
    let folder = try TemporaryFolder()
    let result = try SafeTensorsWriter.writeCheckpoint(shardingEntries(), to: folder.path, maxShardSize: 64)
    #expect(result.files.map { URL(fileURLWithPath: $0).lastPathComponent } == [
      "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
      "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors",
    ])
    #expect(result.indexFile == folder.file("model.safetensors.index.json"))

    let checkpoint = try SafeTensorsCheckpoint.open(folder.path)
    #expect(checkpoint.totalSize == 212)
    #expect(checkpoint.files.map(\.names) == [
      ["embeddings.weight"], ["encoder.1.weight"], ["encoder.0.bias", "encoder.0.weight"], ["pooler.bias"],
    ])
    #expect(try checkpoint.tensor(named: "encoder.0.bias").scalars(as: Double.self) == [1, 2, 3])
    #expect(try checkpoint.tensor(named: "pooler.bias").scalars(as: Int64.self) == [7])
    #expect(checkpoint.files.allSatisfy { $0.metadata == ["format": "pt"] })
  }

  @Test func indexTextMatchesHuggingFaceFormat() throws {
    let folder = try TemporaryFolder()
    try SafeTensorsWriter.writeCheckpoint(shardingEntries(), to: folder.path, maxShardSize: 64, totalParameters: 74)
    let text = try String(contentsOfFile: folder.file("model.safetensors.index.json"), encoding: .utf8)
    #expect(
      text == """
        {
          "metadata": {
            "total_parameters": 74,
            "total_size": 212
          },
          "weight_map": {
            "embeddings.weight": "model-00001-of-00004.safetensors",
            "encoder.0.bias": "model-00003-of-00004.safetensors",
            "encoder.0.weight": "model-00003-of-00004.safetensors",
            "encoder.1.weight": "model-00002-of-00004.safetensors",
            "pooler.bias": "model-00004-of-00004.safetensors"
          }
        }

        """)
  }

  @Test func singleShardWritesPlainFile() throws {
    let folder = try TemporaryFolder()
    let result = try SafeTensorsWriter.writeCheckpoint(shardingEntries(), to: folder.path)
    #expect(result.files == [folder.file("model.safetensors")])
    #expect(result.indexFile == nil)
    let checkpoint = try SafeTensorsCheckpoint.open(folder.path)
    #expect(checkpoint.names.count == 5)
    #expect(checkpoint.totalSize == nil)
  }

  @Test func staleFilesRemoved() throws {
    let folder = try TemporaryFolder()
    try SafeTensorsWriter.writeCheckpoint(shardingEntries(), to: folder.path, maxShardSize: 64)
    try writeText("keep", to: folder.file("config.json"))
    try SafeTensorsWriter.writeCheckpoint(shardingEntries(), to: folder.path, maxShardSize: 150)
    #expect(try folder.contents() == [
      "config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
      "model.safetensors.index.json",
    ])
    try SafeTensorsWriter.writeCheckpoint(shardingEntries(), to: folder.path)
    #expect(try folder.contents() == ["config.json", "model.safetensors"])
  }

  // MARK: - Errors

  @Test func missingShardReported() throws {
    let folder = try TemporaryFolder()
    try SafeTensorsWriter.writeCheckpoint(shardingEntries(), to: folder.path, maxShardSize: 64)
    try FileManager.default.removeItem(atPath: folder.file("model-00002-of-00004.safetensors"))
    let index = folder.file("model.safetensors.index.json")
    #expect(
      throws: SafeTensorsError.missingShard(
        index: index, shard: "model-00002-of-00004.safetensors", tensor: "encoder.1.weight")
    ) {
      try SafeTensorsCheckpoint.open(folder.path)
    }
  }

  @Test func tensorInTwoShardsReported() throws {
    let folder = try TemporaryFolder()
    let tensor = SafeTensorsEntry(name: "w", dtype: .uint8, shape: [1], bytes: [1])
    try SafeTensorsWriter.write([tensor], to: folder.file("a.safetensors"))
    try SafeTensorsWriter.write(
      [tensor, SafeTensorsEntry(name: "v", dtype: .uint8, shape: [1], bytes: [2])], to: folder.file("b.safetensors"))
    let index = folder.file("model.safetensors.index.json")
    try writeText(#"{"weight_map": {"w": "a.safetensors", "v": "b.safetensors"}}"#, to: index)
    #expect(throws: SafeTensorsError.tensorInTwoShards(index: index, tensor: "w", shards: ["a.safetensors", "b.safetensors"])) {
      try SafeTensorsCheckpoint.open(folder.path)
    }
  }

  @Test func nameListedTwiceReported() throws {
    let folder = try TemporaryFolder()
    try SafeTensorsWriter.write([SafeTensorsEntry(name: "w", dtype: .uint8, shape: [1], bytes: [1])], to: folder.file("a.safetensors"))
    let index = folder.file("model.safetensors.index.json")
    try writeText(#"{"weight_map": {"w": "a.safetensors", "w": "a.safetensors"}}"#, to: index)
    #expect(throws: SafeTensorsError.invalidIndex(file: index, detail: "weight_map lists tensor \"w\" twice")) {
      try SafeTensorsCheckpoint.open(index)
    }
  }

  @Test func tensorMissingFromShardReported() throws {
    let folder = try TemporaryFolder()
    try SafeTensorsWriter.write([SafeTensorsEntry(name: "w", dtype: .uint8, shape: [1], bytes: [1])], to: folder.file("a.safetensors"))
    let index = folder.file("model.safetensors.index.json")
    try writeText(#"{"weight_map": {"w": "a.safetensors", "v": "a.safetensors"}}"#, to: index)
    #expect(throws: SafeTensorsError.tensorMissingFromShard(index: index, shard: "a.safetensors", tensor: "v")) {
      try SafeTensorsCheckpoint.open(index)
    }
  }

  @Test func unlistedTensorReported() throws {
    let folder = try TemporaryFolder()
    try SafeTensorsWriter.write(
      [SafeTensorsEntry(name: "w", dtype: .uint8, shape: [1], bytes: [1]), SafeTensorsEntry(name: "x", dtype: .uint8, shape: [1], bytes: [2])],
      to: folder.file("a.safetensors"))
    let index = folder.file("model.safetensors.index.json")
    try writeText(#"{"weight_map": {"w": "a.safetensors"}}"#, to: index)
    #expect(throws: SafeTensorsError.tensorNotInIndex(index: index, shard: "a.safetensors", tensor: "x")) {
      try SafeTensorsCheckpoint.open(index)
    }
  }

  static let invalidIndexes: [(text: String, detail: String)] = [
    ("[1]", "the top level is an array, expected an object"),
    ("{", "not valid JSON: line 1, column 2: expected a string key"),
    (#"{"metadata": {}}"#, "weight_map is missing"),
    (#"{"weight_map": []}"#, "weight_map is an array, expected an object"),
    (#"{"weight_map": {"w": 3}}"#, #"weight_map["w"] is an integer, expected a file name"#),
    (#"{"weight_map": {"w": "../a.safetensors"}}"#, #"weight_map["w"] is "../a.safetensors", expected a file name in the index's folder"#),
    (#"{"metadata": {"total_size": "big"}, "weight_map": {}}"#, "metadata.total_size is a string, expected a non-negative integer"),
  ]

  @Test(arguments: invalidIndexes)
  func invalidIndexRejected(text: String, detail: String) throws {
    let folder = try TemporaryFolder()
    let index = folder.file("model.safetensors.index.json")
    try writeText(text, to: index)
    #expect(throws: SafeTensorsError.invalidIndex(file: index, detail: detail)) {
      try SafeTensorsCheckpoint.open(index)
    }
  }

  @Test func emptyFolderReported() throws {
    let folder = try TemporaryFolder()
    #expect(throws: SafeTensorsError.noCheckpoint(directory: folder.path)) {
      try SafeTensorsCheckpoint.open(folder.path)
    }
  }
}

@Suite(.enabled(if: PythonReference.isAvailable, PythonReference.unavailableReason))
struct SafeTensorsShardedPythonTests {
  @Test func shardingMatchesHuggingFaceHub() throws {
    let folder = try TemporaryFolder()
    let entries = shardingEntries()
    try SafeTensorsWriter.writeCheckpoint(entries, to: folder.path, maxShardSize: 64)

    let script = """
      import json, os, sys, torch
      from collections import OrderedDict
      from huggingface_hub import split_torch_state_dict_into_shards
      from safetensors.torch import load_file
      folder, names = sys.argv[1], sys.argv[2:]
      index = json.load(open(os.path.join(folder, "model.safetensors.index.json")))
      loaded = {}
      for shard in sorted(set(index["weight_map"].values())):
          loaded.update(load_file(os.path.join(folder, shard)))
      state = OrderedDict((name, loaded[name]) for name in names)
      split = split_torch_state_dict_into_shards(state, max_shard_size=64)
      expected = {"metadata": {"total_size": split.metadata["total_size"]}, "weight_map": split.tensor_to_filename}
      text = open(os.path.join(folder, "model.safetensors.index.json")).read()
      tensors = {n: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                     "hex": t.reshape(-1).view(torch.uint8).numpy().tobytes().hex()} for n, t in loaded.items()}
      print(json.dumps({"same_index": text == json.dumps(expected, indent=2, sort_keys=True) + "\\n",
                        "tensors": tensors}))
      """
    let output = try PythonReference.runJSON(script, arguments: [folder.path] + entries.map(\.name))
    let result = try #require(output as? [String: Any])
    #expect(result["same_index"] as? Bool == true)

    let checkpoint = try SafeTensorsCheckpoint.open(folder.path)
    let views = try checkpoint.names.map { try checkpoint.tensor(named: $0) }
    #expect(records(fromPython: output) == records(of: views))
  }

  @Test func readsShardsSavedByHuggingFaceHub() throws {
    let folder = try TemporaryFolder()
    let script = """
      import json, sys, torch
      from huggingface_hub import save_torch_state_dict
      g = torch.Generator().manual_seed(1)
      state = {f"layer.{i}.weight": torch.randn(8, 8, generator=g) for i in range(5)}
      state["layer.0.bias"] = torch.arange(8, dtype=torch.int64)
      save_torch_state_dict(state, sys.argv[1], max_shard_size=600)
      tensors = {n: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                     "hex": t.reshape(-1).view(torch.uint8).numpy().tobytes().hex()} for n, t in state.items()}
      print(json.dumps({"tensors": tensors}))
      """
    let expected = records(fromPython: try PythonReference.runJSON(script, arguments: [folder.path]))
    #expect(expected.count == 6)

    let checkpoint = try SafeTensorsCheckpoint.open(folder.path)
    #expect(checkpoint.files.count > 1)
    #expect(checkpoint.totalSize == 5 * 256 + 64)
    let views = try checkpoint.names.map { try checkpoint.tensor(named: $0) }
    #expect(records(of: views) == expected)
  }
}
