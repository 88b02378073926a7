import Foundation
import ShenzhouTensors
import Testing

@Suite(.enabled(if: PythonReference.isAvailable, PythonReference.unavailableReason))
struct SafeTensorsPythonParityTests {
  @Test func readsFileWrittenByPython() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("python.safetensors")
    let script = """
      import json, sys, torch
      from safetensors.torch import save_file
      g = torch.Generator().manual_seed(0)
      tensors = {
          "f32": torch.randn(3, 4, generator=g),
          "f16": torch.randn(5, generator=g).half(),
          "bf16": torch.randn(2, 3, generator=g).bfloat16(),
          "f64": torch.randn(2, generator=g).double(),
          "i64": torch.arange(-3, 4, dtype=torch.int64),
          "i32": torch.arange(6, dtype=torch.int32).reshape(2, 3),
          "i16": torch.tensor([-2, 7], dtype=torch.int16),
          "i8": torch.tensor([-128, 127], dtype=torch.int8),
          "u8": torch.tensor([0, 255], dtype=torch.uint8),
          "bool": torch.tensor([True, False, True]),
          "scalar": torch.tensor(1.25),
          "empty": torch.zeros(0, 3),
          "嵌入.权重": torch.ones(2, dtype=torch.float16),
      }
      save_file(tensors, sys.argv[1], metadata={"format": "pt"})
      out = {}
      for name, t in tensors.items():
          out[name] = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                       "hex": t.reshape(-1).view(torch.uint8).numpy().tobytes().hex()}
      print(json.dumps({"tensors": out}))
      """
    let expected = records(fromPython: try PythonReference.runJSON(script, arguments: [path]))
    #expect(expected.count == 13)

    let file = try SafeTensorsFile(path: path)
    #expect(file.metadata == ["format": "pt"])
    let views = try file.names.map { try file.tensor(named: $0) }
    #expect(records(of: views) == expected)
    #expect(try file.tensor(named: "scalar").scalars(as: Float.self) == [1.25])
  }

  @Test func pythonReadsFileWeWrite() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("swift.safetensors")
    let tensors = sampleTensors()
    try SafeTensorsWriter.write(tensors.map(\.entry), metadata: ["format": "pt", "source": "深圳"], to: path)

    let output = try PythonReference.runJSON(pythonManifestScript, arguments: [path])
    #expect(records(fromPython: output) == records(of: tensors))
    let metadata = (output as? [String: Any])?["metadata"] as? [String: [String: String]]
    #expect(metadata?["swift.safetensors"] == ["format": "pt", "source": "深圳"])
  }

  @Test func bytesIdenticalToPythonSave() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("swift.safetensors")
    try SafeTensorsWriter.write(
      sampleTensors().map(\.entry), metadata: SafeTensorsWriter.pytorchMetadata, to: path)

    let script = """
      import json, sys
      from safetensors.torch import load_file, save
      from safetensors import safe_open
      with safe_open(sys.argv[1], framework="pt") as f:
          metadata = f.metadata()
      ours = open(sys.argv[1], "rb").read()
      theirs = save(load_file(sys.argv[1]), metadata=metadata)
      first_difference = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), None)
      print(json.dumps({"identical": ours == theirs, "ours": len(ours), "theirs": len(theirs),
                        "first_difference": first_difference}))
      """
    let result = try #require(try PythonReference.runJSON(script, arguments: [path]) as? [String: Any])
    #expect(result["identical"] as? Bool == true, "\(result)")
  }
}
