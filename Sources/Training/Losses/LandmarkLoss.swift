import Autodiff
import Numerics

/// The landmark loss of expression control.
///
/// The paper (AniFaceGAN) re-estimates identity and expression codes from the generated face with the frozen
/// Deep3DFaceRecon network and compares the 68 3-D landmarks of the two BFM faces. We have neither BFM nor
/// Deep3DFaceRecon; **instead** a small landmark network (`LandmarkNetwork`, trained on the corpus's face
/// crops and frozen) reads the 68 2-D landmarks off the generated face, and they are compared with the face
/// model's landmarks for the commanded identity + expression codes projected by the same face camera
/// (`FaceLandmarkProjector`). The loss is the mean squared 2-D distance in normalised image coordinates
/// (`[−1, 1]` across the image): `mean_{b,k} ‖p̂_bk − p_bk‖²`.
public enum LandmarkLoss {
    /// `mean_{b,k} ((x̂ − x)² + (ŷ − y)²)` for `predicted` `[B, 68, 2]` and constant `target` (same shape) → `[]`.
    public static func meanSquaredDistance(_ tape: Tape, predicted: Variable, target: Tensor) throws -> Variable {
        guard predicted.shape == target.shape, predicted.shape.count == 3, predicted.shape[2] == 2 else {
            throw TrainingError.invalidArgument(operation: "LandmarkLoss",
                                                reason: "predicted \(predicted.shape) against target \(target.shape), expected equal [B, K, 2]")
        }
        let difference = try tape.subtract(predicted, tape.constant(target))
        let points = Float(predicted.shape[0] * predicted.shape[1])
        return try tape.affine(tape.sum(tape.square(difference)), scale: 1 / points)
    }

    /// The loss of generated faces `[B, 3, S, S]` (a variable of the generator's tape) under the frozen
    /// `network`, against the projected landmarks `target` `[B, 68, 2]`.
    public static func evaluate(_ tape: Tape, faces: Variable, network: LandmarkNetwork, target: Tensor) throws -> Variable {
        try meanSquaredDistance(tape, predicted: network.landmarks(tape, faces: faces), target: target)
    }
}
