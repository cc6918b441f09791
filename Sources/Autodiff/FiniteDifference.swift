import Numerics

/// Second-order quantities by finite differences of first-order gradients.
///
/// The tape has no double backward: gradients are plain tensors, not recorded values, and a tape is
/// differentiated once (`AutodiffError.backwardAlreadyRun`). The R1 penalty of the discriminators,
/// `R1 = (γ/2)·‖∇ₓD(x; θ)‖²`, needs `∇_θ R1 = γ·(∂²D/∂θ∂x)·v` with `v = ∇ₓD(x; θ)`: a mixed
/// Hessian-vector product, which this type computes as a central difference of the parameter gradient,
/// `(∇_θ D(x + h·v) − ∇_θ D(x − h·v)) / 2h`, with three first-order passes (one for `v`, two for the
/// difference). Its error is `O(h²)` truncation plus float32 rounding divided by `h`.
public enum FiniteDifference {
    /// The derivative of `function` (a list of tensors, e.g. parameter gradients) at `point` along
    /// `direction` (same shapes as `point`), by central differences.
    ///
    /// The step is `relativeStep / rms(direction)` along `direction`, so `relativeStep` is the root-mean-
    /// square displacement of an element (e.g. `1e-2` for inputs of order 1); a zero direction gives zeros.
    public static func directionalDerivative(of function: ([Tensor]) throws -> [Tensor], at point: [Tensor],
                                             along direction: [Tensor], relativeStep: Float = 1e-2) throws -> [Tensor] {
        guard point.count == direction.count else {
            throw AutodiffError.parameterMismatch(operation: "directionalDerivative",
                                                  reason: "\(point.count) point tensors, \(direction.count) direction tensors")
        }
        var squares = 0.0, elements = 0
        for (p, d) in zip(point, direction) {
            try d.checkShape(p.shape, "directionalDerivative direction")
            d.withUnsafeBufferPointer { b in for v in b { squares += Double(v) * Double(v) } }
            elements += d.count
        }
        let rms = elements > 0 ? (squares / Double(elements)).squareRoot() : 0
        guard rms > 0 else { return try function(point).map { Tensor.zeros($0.shape) } }
        let step = Float(Double(relativeStep) / rms)
        var forward = point, backward = point
        for i in point.indices {
            try forward[i].add(direction[i], scaledBy: step)
            try backward[i].add(direction[i], scaledBy: -step)
        }
        let high = try function(forward), low = try function(backward)
        guard high.count == low.count else {
            throw AutodiffError.parameterMismatch(operation: "directionalDerivative",
                                                  reason: "function returned \(high.count) then \(low.count) tensors")
        }
        return try zip(high, low).map { h, l in
            var difference = h
            try difference.add(l, scaledBy: -1)
            return difference.scaled(by: 1 / (2 * step))
        }
    }
}
