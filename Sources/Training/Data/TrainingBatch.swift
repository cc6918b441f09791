import Numerics

/// One batch of real images and their labels (the control values that would ask the generator for them).
/// Angles stay in degrees, as in the corpus labels and the generator's controls.
public struct TrainingBatch: Sendable {
    /// Corpus image indices, batch order.
    public var indices: [Int]
    /// Portraits `[B, 3, S, S]` in [−1, 1] at the training resolution S.
    public var portraits: Tensor
    /// Face crops `[B, 3, F, F]` in [−1, 1] at the face training resolution F.
    public var faces: Tensor
    /// Face identity codes `[B, identity_dim]`.
    public var identity: Tensor
    /// Body shape codes `[B, shape_dim]`.
    public var shape: Tensor
    /// Expression weights `[B, expression count]` (named blendshapes, [0, 1]).
    public var expression: Tensor
    /// Joint angles `[B, 6, 3]`, degrees, `[z, y, x]` per joint in `meta.json`'s `joint_names` order.
    public var joints: Tensor
    /// Portrait camera `[B, 2]` (yaw, pitch) relative to frontal, degrees.
    public var camera: Tensor
    /// Face camera `[B, 2]` (yaw, pitch) relative to the posed head, degrees.
    public var faceCamera: Tensor
    /// The 68 landmarks in the face crop `[B, 68, 2]`, normalised image coordinates in [−1, 1]
    /// (`2·pixel/size − 1`; x right, y down; pixel centres at `(i + 0.5)`), independent of the resolution.
    public var faceLandmarks: Tensor
    /// The 68 landmarks in the portrait `[B, 68, 2]`, normalised as `faceLandmarks`.
    public var portraitLandmarks: Tensor

    /// Number of images.
    public var count: Int { indices.count }
}
