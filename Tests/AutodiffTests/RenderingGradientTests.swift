import Autodiff
import Numerics
import Testing

@Suite struct RenderingGradientTests {
    @Test func compositingWeights() throws {
        var rng = SeededGenerator(seed: 61)
        let alphas = try randomTensor([3, 6], in: 0.05...0.95, using: &rng)
        try expectGradients([alphas]) { t, v in try t.compositingWeights(v[0]) }
        // Near-opaque entries (1 − a below 2^-8): the scan needs no division by 1 − a.
        let opaque = try Tensor(shape: [1, 4], scalars: [0.3, 0.9995, 0.6, 0.999])
        try expectGradients([opaque], epsilon: 2e-4) { t, v in try t.compositingWeights(v[0]) }
    }

    /// The weights equal the inference compositor's loop, and a full composite (weights, colours, white
    /// background) is differentiable in alphas and colours.
    @Test func compositeOfColours() throws {
        var rng = SeededGenerator(seed: 62)
        let alphas = try randomTensor([2, 5], in: 0.05...0.95, using: &rng)
        let colours = try randomTensor([2, 5, 3], using: &rng)
        let tape = Tape()
        let weights = try tape.value(tape.compositingWeights(tape.constant(alphas)))
        for r in 0..<2 {
            var transmittance: Float = 1
            for i in 0..<5 {
                let a = alphas[flat: r * 5 + i]
                #expect(weights[flat: r * 5 + i] == a * transmittance)
                transmittance = transmittance * ((1 - a) + Float(1e-10))
            }
        }
        try expectGradients([alphas, colours]) { t, v in
            let w = try t.compositingWeights(v[0])
            let rgb = try t.sum(t.multiply(t.reshape(w, [2, 5, 1]), v[1]), axis: 1)     // [2, 3]
            let background = try t.subtract(t.affine(rgb, scale: 1, offset: 1), t.reshape(t.sum(w, axis: 1), [2, 1]))
            return try t.affine(background, scale: 2, offset: -1)
        }
    }

    /// `Σw·z / Σw` with two empty elements (`Σw = 0`, value NaN): a loss over the other elements pulls back
    /// exactly 0 to the empty ones, finite gradients elsewhere, matching central differences.
    @Test func weightNormalizedWithoutWeight() throws {
        var rng = SeededGenerator(seed: 64)
        var sums = try randomTensor([6], using: &rng)
        var weights = try randomTensor([6], in: 0.3...1.5, using: &rng)
        for empty in [1, 4] { sums[flat: empty] = 0; weights[flat: empty] = 0 }
        let kept = [0, 2, 3, 5]
        let tape = Tape()
        let s = tape.variable(sums), w = tape.variable(weights)
        let out = try tape.weightNormalized(s, by: w)
        let values = try tape.value(out)
        #expect(values[flat: 1].isNaN && values[flat: 4].isNaN)
        #expect(kept.allSatisfy { values[flat: $0] == sums[flat: $0] / weights[flat: $0] })
        try tape.backward(tape.sum(tape.gather(out, axis: 0, indices: kept, count: kept.count)))
        let gradients = try [tape.gradient(of: s), tape.gradient(of: w)].map { try #require($0) }
        for g in gradients {
            #expect(g.scalars.allSatisfy { $0.isFinite })
            #expect(g[flat: 1] == 0 && g[flat: 4] == 0)
        }
        try expectGradients([sums, weights], epsilon: 1e-3) { t, v in
            try t.gather(t.weightNormalized(v[0], by: v[1]), axis: 0, indices: kept, count: kept.count)
        }
    }

    /// Level field rays: two crossings interpolated, one ray without crossing (far sample), one crossing
    /// whose interval is narrower than 0.05 (far sample); the values' and the field's gradients checked.
    @Test func crossingInterpolation() throws {
        let field = try Tensor(shape: [3, 6], scalars: [
            1.0, 0.6, 0.1, -0.4, -0.8, -1.0,
            1.0, 0.9, 0.8, 0.7, 0.6, 0.5,
            0.5, 0.32, 0.28, 0.1, -0.5, -0.6,
        ])
        let levels: [Float] = [0.3, -0.2]
        let crossings = try LevelCrossings(levelField: field, levels: levels)
        #expect(crossings.index == [1, 2, 4, 4, 1, 3])
        #expect(crossings.isValid == [true, true, false, false, true, true])
        #expect(crossings.interpolates == [true, true, false, false, false, true])
        #expect(crossings.validMask.scalars == [1, 1, 0, 0, 1, 1])
        var rng = SeededGenerator(seed: 63)
        let values = try randomTensor([3, 6, 2], using: &rng)
        try expectGradients([values, field], epsilon: 3e-3) { t, v in
            // The crossings are found on the perturbed field too, and must not move under ±ε.
            let found = try LevelCrossings(levelField: t.value(v[1]), levels: levels)
            #expect(found == crossings)
            return try t.crossingInterpolation(v[0], levelField: v[1], crossings: found)
        }
    }

    @Test func transformPoints() throws {
        var rng = SeededGenerator(seed: 64)
        let points = try randomTensor([5, 3], using: &rng)
        let perPoint = try randomTensor([5, 4, 4], using: &rng), shared = try randomTensor([4, 4], using: &rng)
        try expectGradients([points, perPoint]) { t, v in try t.transformPoints(v[0], matrices: v[1]) }
        try expectGradients([points, shared]) { t, v in try t.transformPoints(v[0], matrices: v[1]) }
        // Value: the fourth row is ignored, the translation column added.
        let m = try Tensor(shape: [4, 4], scalars: [1, 0, 0, 5, 0, 2, 0, 6, 0, 0, 3, 7, 9, 9, 9, 9])
        let p = try Tensor(shape: [1, 3], scalars: [1, 1, 1])
        #expect(try p.transformedPoints(by: m).scalars == [6, 8, 10])
    }
}
