import Autodiff
import Numerics
import Testing

@Suite struct FiniteDifferenceTests {
    /// R1 on `D(x; w) = ½(w·x)²`: `∇ₓD = (w·x)·w`, `R1 = ½‖∇ₓD‖² = ½(w·x)²‖w‖²`, so the exact
    /// `∇_w R1 = (w·x)‖w‖²·x + (w·x)²·w`. The finite-difference mixed Hessian-vector product of the tape's
    /// parameter gradient along `v = ∇ₓD` must reproduce it.
    @Test func r1GradientByFiniteDifferenceHVP() throws {
        var rng = SeededGenerator(seed: 31)
        let x = try randomTensor([6], using: &rng), w = try randomTensor([6], using: &rng)

        /// (∇ₓD, ∇_w D) at (x, w) from one tape.
        func gradients(_ x: Tensor, _ w: Tensor) throws -> (Tensor, Tensor) {
            let tape = Tape()
            let xv = tape.variable(x), wv = tape.variable(w)
            let d = try tape.affine(tape.square(tape.sum(tape.multiply(xv, wv))), scale: 0.5)
            try tape.backward(d)
            return (try #require(try tape.gradient(of: xv)), try #require(try tape.gradient(of: wv)))
        }
        let v = try gradients(x, w).0
        let hvp = try FiniteDifference.directionalDerivative(of: { point in [try gradients(point[0], w).1] },
                                                             at: [x], along: [v], relativeStep: 1e-2)[0]
        let xs = x.scalars.map(Double.init), ws = w.scalars.map(Double.init)
        let wx = zip(xs, ws).map(*).reduce(0, +), ww = ws.map { $0 * $0 }.reduce(0, +)
        let exact = (0..<6).map { wx * ww * xs[$0] + wx * wx * ws[$0] }
        let scale = exact.map(abs).max() ?? 1
        for i in 0..<6 { #expect(abs(Double(hvp[flat: i]) - exact[i]) / scale < 2e-3, "element \(i)") }
    }

    /// `R1Penalty` on a batch of two images with `D(x_i; w, c) = ½(w·x_i)² + c`: penalty
    /// `γ/(2N)·Σ_i (w·x_i)²‖w‖²`, exact `∇_w = γ/N·Σ_i ((w·x_i)‖w‖²·x_i + (w·x_i)²·w)`, `∇_c = 0`.
    @Test func r1PenaltyOnABatch() throws {
        var rng = SeededGenerator(seed: 32)
        let images = try randomTensor([2, 5], using: &rng), w = try randomTensor([5], using: &rng)
        let gamma: Float = 10
        let result = try R1Penalty.evaluate(images: images, parameters: [w, Tensor.zeros([])], gamma: gamma) { t, x, p in
            try t.add(t.affine(t.square(t.sum(t.multiply(x, p[0]), axis: 1)), scale: 0.5), p[1])
        }
        let xs = images.scalars.map(Double.init), ws = w.scalars.map(Double.init)
        let ww = ws.map { $0 * $0 }.reduce(0, +)
        var penalty = 0.0, exact = [Double](repeating: 0, count: 5)
        for i in 0..<2 {
            let row = Array(xs[(5 * i)..<(5 * i + 5)])
            let wx = zip(row, ws).map(*).reduce(0, +)
            penalty += Double(gamma) / 4 * wx * wx * ww
            for j in 0..<5 { exact[j] += Double(gamma) / 2 * (wx * ww * row[j] + wx * wx * ws[j]) }
        }
        #expect(abs(Double(result.penalty) - penalty) <= 1e-5 * penalty)
        let scale = exact.map(abs).max() ?? 1
        for j in 0..<5 { #expect(abs(Double(result.gradients[0][flat: j]) - exact[j]) / scale < 2e-3, "element \(j)") }
        #expect(abs(result.gradients[1][flat: 0]) < 1e-6)
    }

    @Test func zeroDirectionGivesZeros() throws {
        let result = try FiniteDifference.directionalDerivative(of: { $0 }, at: [Tensor.zeros([3])], along: [Tensor.zeros([3])])
        #expect(result[0].scalars == [0, 0, 0])
    }
}
