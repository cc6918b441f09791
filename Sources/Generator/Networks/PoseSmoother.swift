import ModelIO
import Numerics

/// The pose deformation smoother D^p (`smoother`, SPEC F5): a normalised depthwise 3-D convolution with
/// reflect padding, trilinear ×2 upsampling (align_corners = false), and a second normalised depthwise
/// convolution, over the 16-channel volume of per-sample 4×4 inverse skinning transforms.
///
/// Kernels `[16, 1, k_d, 2k_d − 1, 2k_d − 1]` (`smoother.conv_block{1,2}.weight`) are divided by their
/// per-channel sum at load time (trained parameters, SPEC §3.2); pads `(k_d / 2, k_d − 1, k_d − 1)` keep
/// the volume size.
public struct PoseSmoother: Sendable {
    /// Normalised kernels of the two convolutions.
    public let kernel1: Tensor
    public let kernel2: Tensor
    /// Depth kernel size k_d.
    public let kernelDepth: Int
    /// Channels (the 16 entries of a 4×4 matrix).
    public static let channels = 16

    /// Loads and normalises `smoother.conv_block1.weight` and `smoother.conv_block2.weight`.
    public init(weights: Weights, configuration: GeneratorConfiguration) throws {
        let kd = configuration.smootherKD
        kernelDepth = kd
        let shape = [Self.channels, 1, kd, 2 * kd - 1, 2 * kd - 1]
        kernel1 = try Self.normalised(weights.tensor("smoother.conv_block1.weight", shape: shape))
        kernel2 = try Self.normalised(weights.tensor("smoother.conv_block2.weight", shape: shape))
    }

    /// `W / sum(W)` per channel: the sum accumulated in Float64 and rounded once, then a Float32 division.
    static func normalised(_ w: Tensor) -> Tensor {
        var out = w
        let taps = w.count / Self.channels
        out.withUnsafeMutableBufferPointer { p in
            for c in 0..<Self.channels {
                var sum = 0.0
                for i in 0..<taps { sum += Double(p[c * taps + i]) }
                let s = Float(sum)
                for i in 0..<taps { p[c * taps + i] = p[c * taps + i] / s }
            }
        }
        return out
    }

    /// Reflect pads `(depth, height, width)`.
    public var padding: (depth: Int, height: Int, width: Int) { (kernelDepth / 2, kernelDepth - 1, kernelDepth - 1) }

    /// Smooths `volume` `[C, D, H, W]` into `[C, 2D, 2H, 2W]`: conv, trilinear ×2, conv. Channels are
    /// independent: `C < 16` smooths the first `C` entries only (the frame stage drops the last matrix row,
    /// which F6 never reads).
    public func apply(_ volume: Tensor) throws -> Tensor {
        guard volume.rank == 4, (1...Self.channels).contains(volume.shape[0]) else {
            throw GeneratorError.invalidInput(field: "smoother volume", reason: "shape \(volume.shape), expected [C <= 16, D, H, W]")
        }
        let (c, d, h, w) = (volume.shape[0], volume.shape[1], volume.shape[2], volume.shape[3])
        let v1 = try volume.reshaped([1, c, d, h, w]).depthwiseConv3d(weight: kernel1.rows(0..<c), padding: padding)
        let v2 = try v1.resizedTrilinear(depth: 2 * d, height: 2 * h, width: 2 * w, alignCorners: false)
        let v3 = try v2.depthwiseConv3d(weight: kernel2.rows(0..<c), padding: padding)
        return try v3.reshaped([c, 2 * d, 2 * h, 2 * w])
    }
}
