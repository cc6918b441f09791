import Numerics

extension Tape {
    /// Front-to-back compositing weights (SPEC.md §1.4) of sorted effective alphas `[rays, S]` → `[rays, S]`:
    /// `w_i = a_i·T_i`, `T_{i+1} = T_i·((1 − a_i) + 1e-10)`, one op with its own backward (a suffix scan,
    /// no division by `1 − a`). The composite colour is then `Σ_i w_i·c_i` (`multiply` and `sum(axis:)`),
    /// the white background `(rgb + 1) − Σ w`.
    public func compositingWeights(_ alphas: Variable) throws -> Variable {
        let a = try value(alphas)
        let out = try a.compositingWeights()
        return try record(out, inputs: [alphas]) { g, tape in
            try tape.accumulate(a.compositingWeightsBackward(gradient: g), into: alphas)
        }
    }

    /// The normalisation of a weighted mean, `weightedSum / weightSum` elementwise (same shapes), e.g. the
    /// composited depth `Σ w·z / Σ w` per pixel. Values are IEEE quotients, so an element without weight
    /// (`weightSum = 0`) is NaN (or ±∞). The pull-back is exactly 0 to both inputs at every element whose
    /// quotient is not finite (it never multiplies by that value), elsewhere `g / s` and `−g·q / s`: a loss over
    /// the finite elements back-propagates finite gradients (the generic `divide` would pull back `0 / 0` there).
    public func weightNormalized(_ weightedSum: Variable, by weightSum: Variable) throws -> Variable {
        let numerator = try value(weightedSum), denominator = try value(weightSum)
        guard numerator.shape == denominator.shape else {
            throw AutodiffError.invalidArgument(operation: "weightNormalized",
                                                reason: "weighted sum \(numerator.shape), weight sum \(denominator.shape)")
        }
        let out = try Tensor.broadcasting(.divide, numerator, denominator)
        return try record(out, inputs: [weightedSum, weightSum]) { g, tape in
            let q = out.scalars, s = denominator.scalars, gradient = g.scalars
            var toSum = [Float](repeating: 0, count: q.count), toWeight = toSum
            for i in q.indices where q[i].isFinite {
                let gOverS = gradient[i] / s[i]
                toSum[i] = gOverS
                toWeight[i] = -gOverS * q[i]
            }
            if tape.requiresGradient(weightedSum) { try tape.accumulate(Tensor(shape: out.shape, scalars: toSum), into: weightedSum) }
            if tape.requiresGradient(weightSum) { try tape.accumulate(Tensor(shape: out.shape, scalars: toWeight), into: weightSum) }
        }
    }

    /// The crossing search's intersections (SPEC.md F10): for crossings found on the level field (see
    /// `LevelCrossings`), `values` `[rays, K, C]` interpolated at each level → `[rays, levels, C]`,
    /// differentiable in `values` and in the level field `levelField` `[rays, K]` through the interpolation
    /// weights (the interval choice itself has no gradient). `crossings` must have been found on the value
    /// of `levelField`; `crossings.validMask` gives `valid`.
    public func crossingInterpolation(_ values: Variable, levelField: Variable, crossings: LevelCrossings) throws -> Variable {
        let a = try value(values), s = try value(levelField)
        let out = try crossings.interpolate(values: a, levelField: s)
        return try record(out, inputs: [values, levelField]) { g, tape in
            let grads = try crossings.interpolateBackward(values: a, levelField: s, gradient: g)
            try tape.accumulate(grads.values, into: values)
            try tape.accumulate(grads.levelField, into: levelField)
        }
    }

    /// Points `[N, 3]` through 4x4 matrices `[N, 4, 4]` (per point) or `[4, 4]` (shared):
    /// `(M·[p; 1])[0..<3]`; differentiable in both.
    public func transformPoints(_ points: Variable, matrices: Variable) throws -> Variable {
        let p = try value(points), m = try value(matrices)
        let out = try p.transformedPoints(by: m)
        return try record(out, inputs: [points, matrices]) { g, tape in
            let grads = try p.transformedPointsBackward(by: m, gradient: g)
            try tape.accumulate(grads.points, into: points)
            try tape.accumulate(grads.matrices, into: matrices)
        }
    }
}
