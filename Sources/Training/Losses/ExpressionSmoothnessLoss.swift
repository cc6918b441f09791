import Autodiff
import Numerics

/// The expression smoothness regulariser `L_exp_smooth = ‖D^e(x) − D^e(x + Δ)‖²` (SPEC.md §8.3) with a small
/// random perturbation `Δ ~ N(0, σ²)`, σ = 0.01 rendering-space units (ours): mean over the points of the
/// squared 3-D distance between the deformed point and the deformed perturbed point.
public enum ExpressionSmoothnessLoss {
    /// σ of the perturbation (rendering-space units).
    public static let defaultSigma: Float = 0.01

    /// A perturbation `[N, 3]` of N(0, σ²) draws.
    public static func perturbation(count: Int, sigma: Float = defaultSigma, normal: inout SeededNormal) -> Tensor {
        normal.tensor([count, 3], standardDeviation: sigma)
    }

    /// - Parameters:
    ///   - points: `x` `[N, 3]` (constant).
    ///   - perturbation: `Δ` `[N, 3]` (constant, e.g. `perturbation(count:normal:)`).
    ///   - deform: records `D^e` of a points variable `[N, 3]` on the tape (its parameters are variables of
    ///     the same tape) and returns the deformed points `[N, 3]`; called twice.
    public static func evaluate(_ tape: Tape, points: Tensor, perturbation: Tensor,
                                deform: (Tape, Variable) throws -> Variable) throws -> Variable {
        let n = points.shape.first ?? 0
        guard points.shape == [n, 3], perturbation.shape == [n, 3], n > 0 else {
            throw TrainingError.invalidArgument(operation: "ExpressionSmoothnessLoss",
                                                reason: "points \(points.shape), perturbation \(perturbation.shape): expected equal [N, 3], N > 0")
        }
        var moved = points
        try moved.add(perturbation)
        let a = try deform(tape, tape.constant(points)), b = try deform(tape, tape.constant(moved))
        guard a.shape == [n, 3], b.shape == [n, 3] else {
            throw TrainingError.invalidArgument(operation: "ExpressionSmoothnessLoss", reason: "deformed points of shape \(a.shape), expected [\(n), 3]")
        }
        return try tape.affine(tape.sum(tape.square(tape.subtract(a, b))), scale: 1 / Float(n))
    }
}
