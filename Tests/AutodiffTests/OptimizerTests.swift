import Autodiff
import Foundation
import Numerics
import Testing

@Suite struct OptimizerTests {
    /// Adam against the PyTorch update written out in Double for three steps.
    @Test func adamMatchesReferenceUpdate() throws {
        var adam = Adam(parameterShapes: [[3]], learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8)
        var parameters = [try Tensor(shape: [3], scalars: [1, -2, 0.5])]
        var p: [Double] = [1, -2, 0.5], m = [Double](repeating: 0, count: 3), v = m
        let gradientsPerStep: [[Float]] = [[0.5, -1, 2], [0.25, 0, -1], [1, 1, 1]]
        for (t, g) in gradientsPerStep.enumerated() {
            try adam.update(&parameters, gradients: [try Tensor(shape: [3], scalars: g)])
            for i in 0..<3 {
                m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
                v[i] = 0.99 * v[i] + 0.01 * Double(g[i]) * Double(g[i])
                let step = Double(t + 1)
                let mHat = m[i] / (1 - pow(0.9, step)), vHat = v[i] / (1 - pow(0.99, step))
                p[i] -= 0.1 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        for i in 0..<3 { #expect(abs(Double(parameters[0][flat: i]) - p[i]) < 1e-5) }
        #expect(adam.steps == [3])
    }

    @Test func adamSkipsMissingGradientsAndIsDeterministic() throws {
        var rng = SeededGenerator(seed: 21)
        let start = [try randomTensor([4, 4], using: &rng), try randomTensor([5], using: &rng)]
        let grads = [try randomTensor([4, 4], using: &rng), try randomTensor([5], using: &rng)]
        func run() throws -> ([Tensor], Adam) {
            var adam = Adam(parameterShapes: start.map(\.shape), learningRate: 2e-3, beta1: 0, beta2: 0.99)
            var params = start
            for _ in 0..<5 { try adam.update(&params, gradients: [grads[0], nil]) }
            return (params, adam)
        }
        let (a, adamA) = try run(), (b, _) = try run()
        #expect(a == b)
        #expect(a[1] == start[1])
        #expect(a[0] != start[0])
        #expect(adamA.steps == [5, 0])
        var wrong = a
        var adam = adamA
        #expect(throws: AutodiffError.self) { try adam.update(&wrong, gradients: [grads[0]]) }
    }

    @Test func adamMinimisesAQuadratic() throws {
        // Fit x to a target with the tape and Adam: the loss must fall below 1e-4.
        let target = try Tensor(shape: [4], scalars: [0.5, -1, 2, 0])
        var parameters = [Tensor.zeros([4])]
        var adam = Adam(parameterShapes: [[4]], learningRate: 0.05)
        var loss: Float = .infinity
        for _ in 0..<400 {
            let tape = Tape()
            let x = tape.variable(parameters[0])
            let l = try tape.mean(tape.square(tape.subtract(x, tape.constant(target))))
            loss = try tape.value(l)[flat: 0]
            try tape.backward(l)
            try adam.update(&parameters, gradients: [tape.gradient(of: x)])
        }
        #expect(loss < 1e-4)
    }

    @Test func exponentialMovingAverage() throws {
        var ema = try ExponentialMovingAverage(decay: 0.9, averages: [try Tensor(shape: [2], scalars: [0, 10])])
        try ema.update(with: [try Tensor(shape: [2], scalars: [1, 0])])
        try ema.update(with: [try Tensor(shape: [2], scalars: [1, 0])])
        // 0 → 0.1 → 0.19;  10 → 9 → 8.1.
        #expect(abs(ema.averages[0][flat: 0] - 0.19) < 1e-6)
        #expect(abs(ema.averages[0][flat: 1] - 8.1) < 1e-5)
        #expect(throws: AutodiffError.self) { try ExponentialMovingAverage(decay: 1.5, averages: []) }
    }
}
