import Autodiff
import Foundation
import Numerics
import Testing
@testable import Training

@Suite struct AdversarialLossTests {
    @Test func valuesAndGradients() throws {
        let real = try Tensor(shape: [3], scalars: [0.5, -1, 2]), fake = try Tensor(shape: [2], scalars: [1, -0.25])
        func softplus(_ x: Double) -> Double { Foundation.log(1 + Foundation.exp(x)) }
        let tape = Tape()
        let g = try tape.value(AdversarialLoss.generator(tape, fakeLogits: tape.constant(fake)))
        #expect(abs(Double(g[flat: 0]) - (softplus(-1) + softplus(0.25)) / 2) < 1e-6)
        let d = try tape.value(AdversarialLoss.discriminator(tape, realLogits: tape.constant(real), fakeLogits: tape.constant(fake)))
        let expected = (softplus(1) + softplus(-0.25)) / 2 + (softplus(-0.5) + softplus(1) + softplus(-2)) / 3
        #expect(abs(Double(d[flat: 0]) - expected) < 1e-6)
        let e1 = try LossesTestSupport.expectGradients([fake]) { t, v in try AdversarialLoss.generator(t, fakeLogits: v[0]) }
        let e2 = try LossesTestSupport.expectGradients([real, fake]) { t, v in
            try AdversarialLoss.discriminator(t, realLogits: v[0], fakeLogits: v[1])
        }
        print("losses: adversarial gradient check, worst scaled error G \(e1), D \(e2)")
    }

    /// Through a discriminator to the generated images (the generator step's path).
    @Test func generatorLossThroughTheDiscriminator() throws {
        let d = try Discriminator(architecture: DiscriminatorArchitecture(height: 8, width: 8, baseChannels: 3, maxChannels: 6), seed: 21)
        let images = try LossesTestSupport.uniform([2, 3, 8, 8], in: -1...1, seed: 22)
        let e = try LossesTestSupport.expectGradients([images], epsilon: 1e-3, maxElements: 200) { t, v in
            try AdversarialLoss.generator(t, fakeLogits: d.logits(t, images: v[0]))
        }
        print("losses: generator loss through D, worst scaled error \(e)")
    }

    /// `DiscriminatorR1` (exact, forward-over-reverse) against central differences of the penalty itself
    /// over the parameters, and against `Autodiff.R1Penalty`'s finite-difference Hessian-vector product at a
    /// step small enough to cross no LeakyReLU kink, on a tiny discriminator.
    @Test func r1GradientMatchesFiniteDifferences() throws {
        let architecture = try DiscriminatorArchitecture(height: 8, width: 8, baseChannels: 2, maxChannels: 3)
        let d = try Discriminator(architecture: architecture, seed: 31)
        let images = try LossesTestSupport.uniform([2, 3, 8, 8], in: -1...1, seed: 32)
        let gamma: Float = 10
        let result = try DiscriminatorR1.evaluate(d, realImages: images, gamma: gamma)

        /// The penalty (float64 sum of the float32 input gradients) for parameters `values`.
        func penalty(_ values: [Tensor]) throws -> Double {
            var p = d.parameters
            try p.update(values)
            let moved = try Discriminator(architecture: architecture, parameters: p)
            let tape = Tape()
            let x = tape.variable(images)
            try tape.backward(tape.sum(moved.logits(tape, images: x)))
            let g = try #require(try tape.gradient(of: x))
            return Double(gamma) / (2 * 2) * g.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        #expect(abs(Double(result.penalty) - (try penalty(d.parameters.values))) < 1e-5 * max(1, Double(result.penalty)))
        let values = d.parameters.values
        var worst = 0.0, largest = 0.0, pairs: [(Double, Double)] = []
        for (i, t) in values.enumerated() {
            for j in Swift.stride(from: 0, to: t.count, by: max(1, t.count / 12)) {
                var plus = values, minus = values
                let x0 = t[flat: j], h: Float = 3e-4
                plus[i][flat: j] = x0 + h
                minus[i][flat: j] = x0 - h
                let numeric = (try penalty(plus) - penalty(minus)) / (Double(x0 + h) - Double(x0 - h))
                pairs.append((numeric, Double(result.gradients[i][flat: j])))
                largest = max(largest, abs(numeric), abs(Double(result.gradients[i][flat: j])))
            }
        }
        for (n, a) in pairs { worst = max(worst, abs(n - a) / largest) }
        let hvp = try R1Penalty.evaluate(images: images, parameters: values, gamma: gamma, relativeStep: 3e-4) { t, x, w in
            try d.logits(t, images: x, weights: w)
        }
        var worstHVP = 0.0
        for (a, b) in zip(hvp.gradients, result.gradients) {
            for k in 0..<a.count { worstHVP = max(worstHVP, abs(Double(a[flat: k]) - Double(b[flat: k])) / largest) }
        }
        print("losses: R1 exact gradient vs finite differences of the penalty: worst scaled error \(worst) over \(pairs.count) parameters (largest \(largest)); vs R1Penalty FD-HVP at step 3e-4: \(worstHVP)")
        #expect(largest > 1e-2)
        #expect(worst < 3e-3)
        #expect(worstHVP < 3e-3)
    }
}
