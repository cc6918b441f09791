import Autodiff
import Numerics
import Testing

@Suite struct CheckpointTests {
    /// A two-layer network on two chunks of points, each chunk checkpointed: the same values and gradients
    /// as the plain recording, fewer values kept on the outer tape, and a gradient check.
    @Test func checkpointedChunksMatchThePlainTape() throws {
        var rng = SeededGenerator(seed: 71)
        let points = try randomTensor([6, 3], using: &rng)
        let w1 = try randomTensor([4, 3], using: &rng), b1 = try randomTensor([4], using: &rng)
        let w2 = try randomTensor([2, 4], using: &rng)
        func network(_ t: Tape, _ v: [Variable]) throws -> Variable {
            try t.linear(t.softplus(t.linear(v[0], weight: v[1], bias: v[2])), weight: v[3], bias: nil)
        }
        func chunked(_ t: Tape, _ v: [Variable]) throws -> Variable {
            let parts = try [0..<4, 4..<6].map { range in
                try t.checkpointed([t.slice(v[0], axis: 0, range: range), v[1], v[2], v[3]], network)
            }
            return try t.concatenate(parts, axis: 0)
        }
        let inputs = [points, w1, b1, w2]
        func run(_ f: (Tape, [Variable]) throws -> Variable) throws -> (Tensor, [Tensor?], Int) {
            let t = Tape()
            let v = inputs.map { t.variable($0) }
            let out = try f(t, v)
            let recorded = t.count
            try t.backward(t.sum(t.square(out)))
            return (try t.value(out), try t.gradients(of: v), recorded)
        }
        let (plainOut, plainGrads, plainCount) = try run(network)
        let (chunkOut, chunkGrads, chunkCount) = try run(chunked)
        #expect(chunkOut == plainOut)
        for (a, b) in zip(plainGrads, chunkGrads) {
            let x = try #require(a), y = try #require(b)
            for i in 0..<x.count { #expect(abs(x[flat: i] - y[flat: i]) <= 1e-5 * max(1, abs(x[flat: i]))) }
        }
        // Outer tape: 4 leaves, 2 slices, 2 checkpointed chunks, 1 concatenation (the layers are not on it).
        #expect(chunkCount == 9)
        #expect(plainCount == 7)
        try expectGradients(inputs, chunked)
    }

    @Test func outerVariablesInsideTheBodyAreRefused() throws {
        let tape = Tape()
        let x = tape.variable(Tensor.zeros([2]))
        let y = tape.variable(Tensor.zeros([2]))
        #expect(throws: AutodiffError.foreignVariable(index: y.index)) {
            try tape.checkpointed([x]) { t, v in try t.add(v[0], y) }
        }
    }
}
