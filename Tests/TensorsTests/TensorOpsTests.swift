import Testing
@testable import ShenzhouTensors

@Suite struct TensorOpsTests {
  @Test func roundTripAndShape() throws {
    let x = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
    #expect(x.shape == [2, 3])
    #expect(x.dtype == .float32)
    #expect(try x.toArray(Float.self) == [1, 2, 3, 4, 5, 6])
    #expect(try x.transposed(0, 1).contiguous().toArray(Float.self) == [1, 4, 2, 5, 3, 6])
    #expect(try x.reshaped([3, -1]).shape == [3, 2])
  }

  @Test func arithmeticAndReductions() throws {
    let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
    let b = try Tensor([10, 20] as [Float], shape: [2])
    #expect(try (a + b).toArray(Float.self) == [11, 22, 13, 24])
    #expect(try (a * 2).sum().item() == 20)
    #expect(try a.mean(dims: [1]).toArray(Float.self) == [1.5, 3.5])
    #expect(try a.max().item() == 4)
    #expect(try a.argmax(dim: 1).toArray(Int64.self) == [1, 1])
    #expect(try a.matmul(a).toArray(Float.self) == [7, 10, 15, 22])
  }

  @Test func indexingOps() throws {
    let x = try Tensor(Array(0..<12).map(Float.init), shape: [3, 4])
    #expect(try x.slice(dim: 1, start: 1, end: 3).contiguous().toArray(Float.self) == [1, 2, 5, 6, 9, 10])
    #expect(try x.select(dim: 0, index: 2).toArray(Float.self) == [8, 9, 10, 11])
    let index = try Tensor([2, 0] as [Int64])
    #expect(try x.indexSelect(dim: 0, index: index).toArray(Float.self) == [8, 9, 10, 11, 0, 1, 2, 3])
    let mask = try x.gt(5)
    #expect(try x.maskedSelect(mask).toArray(Float.self) == [6, 7, 8, 9, 10, 11])
    #expect(try x.maskedFill(mask, value: -1).sum().item() == 15 - 6)
    let gathered = try x.gather(dim: 1, index: Tensor([3, 0, 1] as [Int64], shape: [3, 1]))
    #expect(try gathered.toArray(Float.self) == [3, 4, 9])
    let scattered = try Tensor.zeros([2, 3]).scatter(
      dim: 1, index: Tensor([2, 0] as [Int64], shape: [2, 1]), source: Tensor([5, 6] as [Float], shape: [2, 1]))
    #expect(try scattered.toArray(Float.self) == [0, 0, 5, 6, 0, 0])
    #expect(try Tensor.cat([x, x], dim: 0).shape == [6, 4])
    #expect(try Tensor.stack([x, x], dim: 1).shape == [3, 2, 4])
    let (values, indices) = try x.topk(2, dim: 1)
    #expect(try values.toArray(Float.self) == [3, 2, 7, 6, 11, 10])
    #expect(try indices.toArray(Int64.self) == [3, 2, 3, 2, 3, 2])
  }

  @Test func softmaxAndCrossEntropy() throws {
    let logits = try Tensor([1, 2, 3, 1, 1, 1] as [Float], shape: [2, 3])
    let probabilities = try logits.softmax(dim: 1).toArray(Float.self)
    #expect(Swift.abs(probabilities[3] - 1.0 / 3) < 1e-6)
    let target = try Tensor([2, -100] as [Int64])
    let loss = try logits.crossEntropy(target: target).item()
    let expected = -Foundation.log(Foundation.exp(3.0) / (Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)))
    #expect(Swift.abs(loss - expected) < 1e-6)
  }

  @Test func geluVariantsDiffer() throws {
    let x = try Tensor([-1, 0.5, 2] as [Float])
    let exact = try x.gelu().toArray(Float.self)
    let tanh = try x.gelu(approximateTanh: true).toArray(Float.self)
    #expect(Swift.abs(exact[2] - 1.9544997) < 1e-6)
    #expect(exact != tanh)
  }

  @Test func autogradComputesGradient() throws {
    let w = try Tensor([1, 2, 3] as [Float]).requiringGrad()
    let y = try (w * w).sum()
    try y.backward()
    #expect(try w.grad?.toArray(Float.self) == [2, 4, 6])
    let z = try withNoGrad { try (w * w).sum() }
    #expect(z.requiresGrad == false)
    #expect(try w.detached().requiresGrad == false)
  }

  @Test func autocastUsesBFloat16ForMatmul() throws {
    let a = try Tensor.randn([4, 4])
    let product = try withAutocast(device: .cpu, dtype: .bfloat16) { try a.matmul(a) }
    #expect(product.dtype == .bfloat16)
    #expect(try a.matmul(a).dtype == .float32)
  }

  @Test func generatorIsReproducible() throws {
    let first = try Generator(seed: 42)
    let second = try Generator(seed: 42)
    let a = try Tensor.randn([5], generator: first).toArray(Float.self)
    let b = try Tensor.randn([5], generator: second).toArray(Float.self)
    #expect(a == b)
    let saved = try first.state()
    let next = try Tensor.rand([3], generator: first).toArray(Float.self)
    try first.restore(state: saved)
    #expect(try Tensor.rand([3], generator: first).toArray(Float.self) == next)
    let dropped = try Tensor.ones([1000]).dropout(p: 0.5, training: true, generator: try Generator(seed: 1))
    let again = try Tensor.ones([1000]).dropout(p: 0.5, training: true, generator: try Generator(seed: 1))
    #expect(try dropped.toArray(Float.self) == again.toArray(Float.self))
  }
}

import Foundation
