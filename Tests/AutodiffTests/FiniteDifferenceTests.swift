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

    @Test func zeroDirectionGivesZeros() throws {
        let result = try FiniteDifference.directionalDerivative(of: { $0 }, at: [Tensor.zeros([3])], along: [Tensor.zeros([3])])
        #expect(result[0].scalars == [0, 0, 0])
    }
}
