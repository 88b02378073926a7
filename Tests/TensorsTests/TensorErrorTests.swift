import Testing
@testable import ShenzhouTensors

@Suite struct TensorErrorTests {
  @Test func shapeMismatchThrows() throws {
    let a = try Tensor.zeros([2, 3])
    let b = try Tensor.zeros([4, 5])
    let error = #expect(throws: TensorError.self) { try a.matmul(b) }
    #expect(error?.op == "matmul")
    #expect(error?.shapes == [[2, 3], [4, 5]])
    #expect(error?.description.contains("Exception raised from") == false)
    #expect(throws: TensorError.self) { try a + b }
    #expect(throws: TensorError.self) { try a.reshaped([7]) }
  }

  @Test func dtypeMismatchThrows() throws {
    let weights = try Tensor.zeros([3, 2])
    let floatIndices = try Tensor([0.5, 1.5] as [Float])
    #expect(throws: TensorError.self) { try Tensor.embedding(weights, indices: floatIndices) }
    let intMatrix = try Tensor([1, 2, 3, 4] as [Int64], shape: [2, 2])
    #expect(throws: TensorError.self) { try intMatrix.matmul(Tensor.zeros([2, 2])) }
  }

  @Test func indexOutOfRangeThrows() throws {
    let x = try Tensor.zeros([3, 4])
    #expect(throws: TensorError.self) { try x.select(dim: 0, index: 3) }
    #expect(throws: TensorError.self) { try x.indexSelect(dim: 0, index: Tensor([5] as [Int64])) }
    #expect(throws: TensorError.self) { try Tensor.embedding(x, indices: Tensor([9] as [Int64])) }
    #expect(throws: TensorError.self) { try x.sum(dims: [2]) }
  }

  @Test func cudaWithoutCUDAThrows() throws {
    guard !Runtime.isCUDAAvailable else { return }
    let error = #expect(throws: TensorError.self) { try Tensor.zeros([2], device: .cuda(0)) }
    #expect(error?.message.contains("CUDA") == true)
    #expect(throws: TensorError.self) { try Tensor.zeros([2]).to(device: .cuda(0)) }
    #expect(throws: TensorError.self) { try withAutocast(device: .cuda(0), dtype: .float16) { 0 } }
    #expect(throws: TensorError.self) { try withAutocast(device: .cpu, dtype: .float16) { 0 } }
  }

  @Test func invalidDeviceStringThrows() {
    #expect(throws: TensorError.self) { try Device(parsing: "gpu") }
    #expect(throws: TensorError.self) { try Device(parsing: "cuda:-1") }
    #expect((try? Device(parsing: "cuda:1")) == .cuda(1))
  }

  @Test func backwardMisuseThrows() throws {
    let x = try Tensor.ones([3])
    #expect(throws: TensorError.self) { try x.sum().backward() }
    let w = try Tensor.ones([3]).requiringGrad()
    #expect(throws: TensorError.self) { try (w * 2).backward() }
  }

  @Test func hostBufferMismatchThrows() {
    #expect(throws: TensorError.self) { try Tensor([1, 2, 3] as [Float], shape: [2, 2]) }
  }
}
