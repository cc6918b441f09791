import Autodiff
import Numerics
import Testing

@Suite struct LinearGradientTests {
    @Test func matmul() throws {
        var rng = SeededGenerator(seed: 11)
        let a = try randomTensor([3, 4], using: &rng), b = try randomTensor([4, 5], using: &rng)
        try expectGradients([a, b]) { t, v in try t.matmul(v[0], v[1]) }
    }

    @Test func linearWithAndWithoutBias() throws {
        var rng = SeededGenerator(seed: 12)
        let x = try randomTensor([2, 3, 4], using: &rng)
        let w = try randomTensor([5, 4], using: &rng), b = try randomTensor([5], using: &rng)
        try expectGradients([x, w, b]) { t, v in try t.linear(v[0], weight: v[1], bias: v[2]) }
        try expectGradients([x, w]) { t, v in try t.linear(v[0], weight: v[1], bias: nil) }
        // Only the weight trainable: the input gets no gradient, the weight the same as before.
        try expectGradients([x, w, b], differentiate: [1]) { t, v in try t.linear(v[0], weight: v[1], bias: v[2]) }
    }

    @Test func filmSine() throws {
        var rng = SeededGenerator(seed: 13)
        let x = try randomTensor([2, 3, 5], in: -0.5...0.5, using: &rng)
        let f = try randomTensor([2, 5], in: 1...3, using: &rng), p = try randomTensor([2, 5], using: &rng)
        try expectGradients([x, f, p], epsilon: 3e-3) { t, v in try t.filmSine(v[0], frequencies: v[1], phases: v[2]) }
    }

    @Test func filmSineMatchesInferenceKernel() throws {
        var rng = SeededGenerator(seed: 14)
        let x = try randomTensor([1, 4, 9], using: &rng)
        let f = try randomTensor([1, 9], in: 20...40, using: &rng), p = try randomTensor([1, 9], using: &rng)
        let tape = Tape()
        let y = try tape.value(tape.filmSine(tape.constant(x), frequencies: tape.constant(f), phases: tape.constant(p)))
        var expected = x
        expected.withUnsafeMutableBufferPointer { out in
            f.withUnsafeBufferPointer { fb in
                p.withUnsafeBufferPointer { pb in
                    VectorMath.filmSin(out.baseAddress!, out.baseAddress!, rows: 4, width: 9,
                                       frequencies: fb.baseAddress!, phases: pb.baseAddress!)
                }
            }
        }
        #expect(y == expected)
    }

    @Test func gradientsAccumulateOverUses() throws {
        // y = x·x + x  ⇒  dy/dx = 2x + 1, with x used three times.
        let tape = Tape()
        let x = tape.variable(try Tensor(shape: [2], scalars: [1.5, -2]))
        let y = try tape.sum(tape.add(tape.multiply(x, x), x))
        try tape.backward(y)
        #expect(try tape.gradient(of: x)?.scalars == [4, -3])
    }
}
