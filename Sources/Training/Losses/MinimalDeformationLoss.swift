import Autodiff

/// The minimal deformation regulariser `L_exp_min = ‖x − D^e(x)‖²` (SPEC.md §8.3): mean over points of the
/// squared length of the expression displacement, which keeps `D^e` from moving points it need not move.
/// Its weight `exp_min` drops tenfold after 20 000 steps (`AdversarialObjective`).
public enum MinimalDeformationLoss {
    /// `mean_i ‖Δ_i‖²` for displacements `D^e(x) − x` `[N, 3]` → `[]`.
    public static func evaluate(_ tape: Tape, displacement: Variable) throws -> Variable {
        let n = displacement.shape.first ?? 0
        guard displacement.shape == [n, 3], n > 0 else {
            throw TrainingError.invalidArgument(operation: "MinimalDeformationLoss", reason: "displacement \(displacement.shape), expected [N, 3], N > 0")
        }
        return try tape.affine(tape.sum(tape.square(displacement)), scale: 1 / Float(n))
    }
}
