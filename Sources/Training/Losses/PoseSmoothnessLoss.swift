import Autodiff
import Numerics

/// The pose smoothness regulariser `L_pose_smooth = ‖D^p(T) − AvgPool(T)‖` (SPEC.md §8.3): the pose
/// deformation CNN's output should stay close to a fixed average pooling of its input volume `T`; the norm
/// is L1, averaged over elements (ours).
///
/// "Fixed average pooling" is the smoother's own structure with box kernels (its initial state, SPEC §8.1):
/// reflect-padded depthwise box mean `1/(k_d·k_h·k_w)`, the trilinear ×2 upsampling (align corners false)
/// when the smoother upsamples, and a second box mean; so at initialisation the loss is exactly 0.
public enum PoseSmoothnessLoss {
    /// The fixed reference for a volume `[N, C, D, H, W]` and kernel `(depth, height, width)` (odd sizes);
    /// `upsample`: with the ×2 trilinear step between the two box means (output `[N, C, 2D, 2H, 2W]`).
    public static func averagePooled(_ volume: Tensor, kernel: (depth: Int, height: Int, width: Int),
                                     upsample: Bool) throws -> Tensor {
        guard volume.rank == 5, kernel.depth > 0, kernel.height > 0, kernel.width > 0,
              kernel.depth % 2 == 1, kernel.height % 2 == 1, kernel.width % 2 == 1 else {
            throw TrainingError.invalidArgument(operation: "PoseSmoothnessLoss.averagePooled",
                                                reason: "volume \(volume.shape) with kernel \(kernel): needs [N, C, D, H, W] and odd kernel sizes")
        }
        let c = volume.shape[1]
        let box = try Tensor(shape: [c, 1, kernel.depth, kernel.height, kernel.width],
                             repeating: 1 / Float(kernel.depth * kernel.height * kernel.width))
        var x = try volume.depthwiseConv3d(weight: box)
        if upsample {
            x = try x.resizedTrilinear(depth: 2 * x.shape[2], height: 2 * x.shape[3], width: 2 * x.shape[4], alignCorners: false)
        }
        return try x.depthwiseConv3d(weight: box)
    }

    /// `mean |smoothed − reference|` for `smoothed` = `D^p(T)` on the tape and the constant `reference`
    /// (`averagePooled(T, ...)`, same shape) → `[]`.
    public static func evaluate(_ tape: Tape, smoothed: Variable, reference: Tensor) throws -> Variable {
        guard smoothed.shape == reference.shape else {
            throw TrainingError.invalidArgument(operation: "PoseSmoothnessLoss",
                                                reason: "smoothed \(smoothed.shape) against reference \(reference.shape)")
        }
        return try tape.mean(tape.abs(tape.subtract(smoothed, tape.constant(reference))))
    }
}
