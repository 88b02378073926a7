import Testing
@testable import ShenzhouTensors

@Suite struct LeakTests {
  /// Many forward and backward steps of a small MLP must not grow the number of live tensor handles.
  @Test func liveHandlesStayBounded() throws {
    let w1 = try Tensor.randn([16, 32]).requiringGrad()
    let w2 = try Tensor.randn([8, 16]).requiringGrad()
    func step() throws {
      let x = try Tensor.randn([4, 32])
      let hidden = try x.linear(weight: w1, bias: nil).gelu()
      let logits = try hidden.linear(weight: w2, bias: nil)
      let loss = try logits.crossEntropy(target: Tensor.randint(0, 8, shape: [4]))
      try loss.backward()
      try withNoGrad {
        try w1.addScaled(w1.grad!, alpha: -0.01)
        try w2.addScaled(w2.grad!, alpha: -0.01)
      }
      try w1.zeroGrad()
      try w2.zeroGrad()
      _ = try? loss.matmul(w1)  // a failing op must not leak either
    }
    for _ in 0..<10 { try step() }
    let baseline = Runtime.liveTensorCount
    for _ in 0..<500 { try step() }
    // Other suites run in parallel and hold a few tensors at a time, so allow a small slack; one leaked handle
    // per step would add 500 or more.
    #expect(Runtime.liveTensorCount - baseline < 100)
  }
}
