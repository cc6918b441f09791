import Autodiff
import Foundation
import Numerics
import Testing
@testable import Training

@Suite struct RegulariserLossTests {
    @Test func imitationLossValueAndGradient() throws {
        let delta = LossesTestSupport.normal([5, 3], sigma: 0.1, seed: 41)
        let reference = LossesTestSupport.normal([5, 3], sigma: 0.1, seed: 42)
        let mask = try Tensor(shape: [5], scalars: [1, 0, 1, 1, 0])
        let tape = Tape()
        let value = try tape.value(ExpressionImitationLoss.evaluate(tape, displacement: tape.constant(delta), reference: reference, mask: mask))
        var expected = 0.0
        for i in [0, 2, 3] { for c in 0..<3 { let d = Double(delta[flat: 3 * i + c] - reference[flat: 3 * i + c]); expected += d * d } }
        #expect(abs(Double(value[flat: 0]) - expected / 3) < 1e-6)
        let e = try LossesTestSupport.expectGradients([delta], epsilon: 1e-3) { t, v in
            try ExpressionImitationLoss.evaluate(t, displacement: v[0], reference: reference, mask: mask)
        }
        print("losses: imitation gradient check, worst scaled error \(e)")
    }

    @Test func minimalDeformationValueAndGradient() throws {
        let delta = LossesTestSupport.normal([4, 3], sigma: 0.2, seed: 43)
        let tape = Tape()
        let value = try tape.value(MinimalDeformationLoss.evaluate(tape, displacement: tape.constant(delta)))
        #expect(abs(Double(value[flat: 0]) - delta.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / 4) < 1e-6)
        let e = try LossesTestSupport.expectGradients([delta], epsilon: 1e-3) { t, v in try MinimalDeformationLoss.evaluate(t, displacement: v[0]) }
        print("losses: minimal deformation gradient check, worst scaled error \(e)")
    }

    /// The reference is the box-kernel smoother (the smoother's initial state gives loss 0); L1 gradient.
    @Test func poseSmoothnessReferenceAndGradient() throws {
        let volume = try LossesTestSupport.uniform([1, 2, 4, 6, 6], in: -1...1, seed: 44)
        let reference = try PoseSmoothnessLoss.averagePooled(volume, kernel: (3, 5, 5), upsample: true)
        #expect(reference.shape == [1, 2, 8, 12, 12])
        // The same as two depthwise convolutions with box weights around the trilinear upsampling on the tape.
        let box = try Tensor(shape: [2, 1, 3, 5, 5], repeating: 1 / 75)
        let tape = Tape()
        let w = tape.constant(box)
        var x = try tape.depthwiseConv3d(tape.constant(volume), weight: w)
        x = try tape.resize(x, to: [8, 12, 12], alignCorners: false)
        x = try tape.depthwiseConv3d(x, weight: w)
        #expect(try tape.value(PoseSmoothnessLoss.evaluate(tape, smoothed: x, reference: reference))[flat: 0] < 1e-7)
        // A constant volume is its own average.
        let flat = try Tensor(shape: [1, 1, 3, 5, 5], repeating: 0.25)
        for v in try PoseSmoothnessLoss.averagePooled(flat, kernel: (3, 3, 3), upsample: false).scalars { #expect(abs(v - 0.25) < 1e-6) }
        // Gradient of the L1 loss through a smoother-like weight (away from the kink: random weights).
        let weights = try LossesTestSupport.uniform([2, 1, 3, 5, 5], in: 0...0.03, seed: 45)
        let e = try LossesTestSupport.expectGradients([weights], epsilon: 1e-4) { t, v in
            let s = try t.resize(t.depthwiseConv3d(t.constant(volume), weight: v[0]), to: [8, 12, 12], alignCorners: false)
            return try PoseSmoothnessLoss.evaluate(t, smoothed: t.depthwiseConv3d(s, weight: v[0]), reference: reference)
        }
        print("losses: pose smoothness gradient check, worst scaled error \(e)")
    }

    /// Through a tiny FiLM-sine deformation net: gradients reach its weights.
    @Test func expressionSmoothnessGradient() throws {
        let points = try LossesTestSupport.uniform([6, 3], in: -0.3...0.3, seed: 46)
        var normal = SeededNormal(seed: 47)
        let perturbation = ExpressionSmoothnessLoss.perturbation(count: 6, normal: &normal)
        #expect(perturbation.shape == [6, 3])
        let rms = (perturbation.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / 18).squareRoot()
        #expect(rms > 0.004 && rms < 0.02)
        let w1 = LossesTestSupport.normal([8, 3], sigma: 1, seed: 48), w2 = LossesTestSupport.normal([3, 8], sigma: 0.3, seed: 49)
        let freq = try Tensor(shape: [1, 8], repeating: 3), phase = LossesTestSupport.normal([1, 8], sigma: 1, seed: 50)
        let e = try LossesTestSupport.expectGradients([w1, w2, freq, phase], epsilon: 1e-3) { t, v in
            try ExpressionSmoothnessLoss.evaluate(t, points: points, perturbation: perturbation) { t, x in
                let h = try t.filmSine(t.reshape(t.linear(x, weight: v[0], bias: nil), [1, 6, 8]), frequencies: v[2], phases: v[3])
                return try t.add(x, t.reshape(t.linear(h, weight: v[1], bias: nil), [6, 3]))
            }
        }
        print("losses: expression smoothness gradient check, worst scaled error \(e)")
    }

    /// Near the face the reference is minus the expression displacement of the nearest vertex; far away it
    /// is masked out; with no expression it is zero.
    @Test func faceDeformationReference() throws {
        let reference = try FaceDeformationReference()
        let shape = [Float](repeating: 0.3, count: 10), identity = (0..<80).map { Float($0 % 3) * 0.2 }
        var expression = [Float](repeating: 0, count: 16)
        expression[0] = 1        // jaw open
        let expressed = try reference.canonicalFaceVertices(shape: shape, identity: identity, expression: expression)
        let neutral = try reference.canonicalFaceVertices(shape: shape, identity: identity, expression: [])
        // The vertex the jaw moves most, a point 1 mm off it, and a point far away.
        var best = 0, largest: Float = 0
        for v in expressed.indices {
            let d = neutral[v] - expressed[v]
            if (d * d).sum() > largest { largest = (d * d).sum(); best = v }
        }
        #expect(largest.squareRoot() > 0.005)
        let q = expressed[best] + SIMD3(0, 0, 0.001)
        let points = try Tensor(shape: [2, 3], scalars: [q.x, q.y, q.z, 1, 1, 1])
        let found = try reference.lookup(points: points, shape: shape, identity: identity, expression: expression)
        #expect(found.mask.scalars == [1, 0])
        let r = neutral[found.nearestVertex[0]] - expressed[found.nearestVertex[0]]
        #expect(found.displacement.scalars == [r.x, r.y, r.z, 0, 0, 0])
        let moved = neutral[best] - expressed[best]
        #expect(((r - moved) * (r - moved)).sum().squareRoot() < 0.2 * largest.squareRoot())
        let still = try reference.lookup(points: points, shape: shape, identity: identity, expression: [])
        #expect(still.displacement.scalars.allSatisfy { $0 == 0 })
        // The batch form: row 0 as above, row 1 without expression.
        let batch = try reference.lookup(points: Tensor.concatenating([points, points], axis: 0).reshaped([2, 2, 3]),
                                         shape: Tensor(shape: [2, 10], scalars: shape + shape),
                                         identity: Tensor(shape: [2, 80], scalars: identity + identity),
                                         expression: Tensor(shape: [2, 16], scalars: expression + [Float](repeating: 0, count: 16)))
        #expect(batch.displacement.shape == [2, 2, 3] && batch.mask.scalars == [1, 0, 1, 0])
        #expect(Array(batch.displacement.scalars.prefix(6)) == found.displacement.scalars)
        #expect(batch.displacement.scalars.suffix(6).allSatisfy { $0 == 0 })
    }
}
