import Autodiff
import Numerics

/// The deformation imitation loss `L_3DMM` (SPEC.md §8.3, AniFaceGAN): the expression deformation net's
/// displacement `D^e(x) − x` at points near the face should equal the face model's inverse expression
/// displacement `Δx_ref` at the nearest mesh point (`FaceDeformationReference`):
/// `Σ_i m_i ‖(D^e(x_i) − x_i) − Δx_ref,i‖² / max(Σ_i m_i, 1)` (mean over the masked points of the squared
/// 3-D distance).
///
/// Both displacements must be in the same units: the reference is in rendering-space units, the generator's
/// DeformNet returns `Δ` in warped units (SPEC F8, `C = x·k + Δ`), so pass `Δ / k` or scale the reference by `k`.
public enum ExpressionImitationLoss {
    /// - Parameters:
    ///   - displacement: `D^e(x) − x` `[N, 3]` on the generator's tape.
    ///   - reference: `Δx_ref` `[N, 3]` (constant).
    ///   - mask: `[N]` weights (1 near the face, 0 elsewhere; constant).
    public static func evaluate(_ tape: Tape, displacement: Variable, reference: Tensor, mask: Tensor) throws -> Variable {
        let n = displacement.shape.first ?? 0
        guard displacement.shape == [n, 3], reference.shape == [n, 3], mask.shape == [n] else {
            throw TrainingError.invalidArgument(operation: "ExpressionImitationLoss",
                                                reason: "displacement \(displacement.shape), reference \(reference.shape), mask \(mask.shape): expected [N, 3], [N, 3], [N]")
        }
        let weight = max(mask.sumOfElements(), 1)
        let squared = try tape.sum(tape.square(tape.subtract(displacement, tape.constant(reference))), axis: 1)
        return try tape.affine(tape.sum(tape.multiply(squared, tape.constant(mask))), scale: Float(1 / weight))
    }
}
