import Numerics

/// The identity stage's manifold intersections on the orthographic map grid (SPEC I6): for every map
/// pixel `p = i·HL + j` and manifold `m`, the once-warped crossing point and its validity.
public struct ManifoldIntersections: Sendable {
    /// `HL·HL`.
    public let pixelCount: Int
    /// `M`.
    public let manifoldCount: Int
    /// `X`: `[HL·HL, M, 3]`, still in the once-warped space (world × 2/0.24); the dumped
    /// `msr_intersections_warped`.
    public let warped: Tensor
    /// `valid`: `[HL·HL, M]`, 1 for a downward crossing, else 0 (`msr_is_valid`).
    public let validity: Tensor

    /// Wraps `warped` `[P, M, 3]` and `validity` `[P, M]` (e.g. dumped reference values).
    public init(warped: Tensor, validity: Tensor) throws {
        guard warped.rank == 3, warped.shape[2] == 3 else {
            throw GeneratorError.invalidInput(field: "intersections", reason: "shape \(warped.shape), expected [P, M, 3]")
        }
        let expected = [warped.shape[0], warped.shape[1]]
        let v = validity.shape == expected ? validity : try validity.reshaped(expected)
        pixelCount = expected[0]
        manifoldCount = expected[1]
        self.warped = warped
        self.validity = v
    }

    /// Wraps tensors whose shapes are known to agree (`[P, M, 3]`, `[P, M]`).
    init(consistentWarped warped: Tensor, validity: Tensor) {
        pixelCount = warped.shape[0]
        manifoldCount = warped.shape[1]
        self.warped = warped
        self.validity = validity
    }
}
