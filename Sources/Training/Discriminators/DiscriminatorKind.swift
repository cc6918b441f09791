import Autodiff
import Numerics

/// The three discriminators of SPEC.md §8.3 and what each one sees.
public enum DiscriminatorKind: String, Codable, Sendable, CaseIterable {
    /// The full portrait (`[B, 3, H, H]`, H = the stage's portrait resolution, e.g. LR 64 in stage 1).
    case whole
    /// The face-camera image (`[B, 3, F, F]`, F = the configured face size) against the corpus's face crops.
    case face
    /// The lower quarter of the portrait, rows `[3H/4, H)` (`[B, 3, H/4, H]`).
    case torso

    /// The discriminator input size for a portrait of `portraitSize`² and faces of `faceSize`² pixels.
    public func inputSize(portraitSize: Int, faceSize: Int) -> (height: Int, width: Int) {
        switch self {
        case .whole: return (portraitSize, portraitSize)
        case .face: return (faceSize, faceSize)
        case .torso: return (portraitSize - 3 * portraitSize / 4, portraitSize)
        }
    }

    /// The architecture for this kind at the given sizes.
    public func architecture(portraitSize: Int, faceSize: Int, baseChannels: Int = 16,
                             maxChannels: Int = 128) throws -> DiscriminatorArchitecture {
        let size = inputSize(portraitSize: portraitSize, faceSize: faceSize)
        return try DiscriminatorArchitecture(height: size.height, width: size.width, baseChannels: baseChannels,
                                             maxChannels: maxChannels)
    }

    /// This discriminator's view of an image batch on a tape: the portrait (whole), the face image (face),
    /// or rows `[3H/4, H)` of the portrait (torso); `[B, 3, H, W]` in, the discriminator's input out.
    public func input(_ tape: Tape, _ images: Variable) throws -> Variable {
        guard self == .torso else { return images }
        guard images.shape.count == 4 else {
            throw TrainingError.invalidArgument(operation: "torso crop", reason: "images of shape \(images.shape), expected [B, 3, H, W]")
        }
        let h = images.shape[2]
        return try tape.slice(images, axis: 2, range: (3 * h / 4)..<h)
    }

    /// The same view of a plain image tensor (real batches).
    public func input(_ images: Tensor) throws -> Tensor {
        guard self == .torso else { return images }
        guard images.rank == 4 else {
            throw TrainingError.invalidArgument(operation: "torso crop", reason: "images of shape \(images.shape), expected [B, 3, H, W]")
        }
        let h = images.shape[2]
        return try images.slice(axis: 2, range: (3 * h / 4)..<h)
    }
}
