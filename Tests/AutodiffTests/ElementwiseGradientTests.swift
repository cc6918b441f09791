import Autodiff
import Numerics
import Testing

@Suite struct ElementwiseGradientTests {
    @Test func broadcastingArithmetic() throws {
        var rng = SeededGenerator(seed: 1)
        let a = try randomTensor([2, 3, 4], using: &rng)
        let b = try randomTensor([3, 1], using: &rng)
        let c = try randomTensor([4], in: 0.5...1.5, using: &rng)
        try expectGradients([a, b]) { t, v in try t.add(v[0], v[1]) }
        try expectGradients([a, b]) { t, v in try t.subtract(v[1], v[0]) }
        try expectGradients([a, b]) { t, v in try t.multiply(v[0], v[1]) }
        try expectGradients([a, c]) { t, v in try t.divide(v[0], v[1]) }
        try expectGradients([a]) { t, v in try t.affine(v[0], scale: -1.5, offset: 0.25) }
    }

    @Test func broadcastShapesAndValues() throws {
        let a = try Tensor(shape: [2, 1], scalars: [1, 2])
        let b = try Tensor(shape: [3], scalars: [10, 20, 30])
        let sum = try Tensor.broadcasting(.add, a, b)
        #expect(sum.shape == [2, 3])
        #expect(sum.scalars == [11, 21, 31, 12, 22, 32])
        #expect(try sum.sumReduced(to: [3]).scalars == [23, 43, 63])
        #expect(try sum.sumReduced(to: [2, 1]).scalars == [63, 66])
        #expect(throws: NumericsError.self) { try Tensor.broadcasting(.add, a, Tensor.zeros([3, 2])) }
    }

    @Test func activations() throws {
        var rng = SeededGenerator(seed: 2)
        // Values kept away from the kinks of ReLU / LeakyReLU (|x| >= 0.1 > ε).
        let kinked = try Tensor(shape: [24], scalars: randomTensor([24], using: &rng).scalars.map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 })
        try expectGradients([kinked]) { t, v in try t.relu(v[0]) }
        try expectGradients([kinked]) { t, v in try t.leakyReLU(v[0], slope: 0.2) }
        try expectGradients([kinked]) { t, v in try t.abs(v[0]) }
        // Every value at least 0.1 from the bounds, so ±ε never crosses one.
        let clampable = try Tensor(shape: [6], scalars: [-0.9, -0.3, 0.2, 0.45, 0.7, -0.65])
        try expectGradients([clampable], epsilon: 1e-2) { t, v in try t.clamp(v[0], lower: -0.5, upper: 0.6) }
        let x = try randomTensor([24], in: -3...3, using: &rng)
        try expectGradients([x]) { t, v in try t.sigmoid(v[0]) }
        try expectGradients([x]) { t, v in try t.softplus(v[0]) }
        try expectGradients([x]) { t, v in try t.exp(v[0]) }
        try expectGradients([x]) { t, v in try t.sin(v[0]) }
        try expectGradients([x]) { t, v in try t.apply(.cos, v[0]) }
        try expectGradients([x]) { t, v in try t.apply(.tanh, v[0]) }
        try expectGradients([x]) { t, v in try t.square(v[0]) }
        let positive = try randomTensor([24], in: 0.5...3, using: &rng)
        try expectGradients([positive]) { t, v in try t.log(v[0]) }
        try expectGradients([positive]) { t, v in try t.sqrt(v[0]) }
    }

    @Test func softplusAboveThresholdIsIdentity() throws {
        let tape = Tape()
        let x = tape.variable(try Tensor(shape: [3], scalars: [25, 30, -4]))
        let y = try tape.softplus(x)
        try tape.backward(try tape.sum(y))
        let g = try #require(try tape.gradient(of: x)).scalars
        #expect(g[0] == 1 && g[1] == 1)
        #expect(abs(g[2] - 1 / (1 + Float(54.59815))) < 1e-6)
    }

    @Test func reductions() throws {
        var rng = SeededGenerator(seed: 3)
        let x = try randomTensor([2, 3, 4], using: &rng)
        try expectGradients([x]) { t, v in try t.sum(v[0]) }
        try expectGradients([x]) { t, v in try t.mean(v[0]) }
        for axis in 0..<3 {
            try expectGradients([x]) { t, v in try t.sum(v[0], axis: axis) }
            try expectGradients([x]) { t, v in try t.mean(v[0], axis: axis) }
        }
    }
}
