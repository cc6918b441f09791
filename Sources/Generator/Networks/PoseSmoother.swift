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
    /// `upsample ×2 → conv2 → keep the even samples` as one kernel on the coarse grid (`coarseApply`).
    public let coarseKernel2: Tensor
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
        coarseKernel2 = Self.coarseEquivalent(kernel2)
    }

    /// The 1-D weights by which the trilinear ×2 upsampling (align_corners = false) followed by a `k`-tap
    /// convolution (pad `k/2`) and sampling at the even outputs combines the coarse inputs: the even
    /// output `2a` reads `fine[2a + d]`, `d ∈ [−k/2, k/2]`, and away from the borders
    /// `fine[2t] = ¼·x[t − 1] + ¾·x[t]`, `fine[2t + 1] = ¾·x[t] + ¼·x[t + 1]`. Returns, per coarse offset
    /// `s` (from `sMin`), the weights of the `k` fine taps.
    static func coarseTaps(_ k: Int) -> (sMin: Int, weights: [[Double]]) {
        let half = k / 2
        var rows: [Int: [Double]] = [:]
        for tap in 0..<k {
            let d = tap - half
            let t = Int((Double(d) / 2).rounded(.down))
            let contributions: [(Int, Double)] = d % 2 == 0 ? [(t - 1, 0.25), (t, 0.75)] : [(t, 0.75), (t + 1, 0.25)]
            for (offset, w) in contributions {
                var row = rows[offset] ?? Array(repeating: 0, count: k)
                row[tap] += w
                rows[offset] = row
            }
        }
        let sMin = rows.keys.min() ?? 0, sMax = rows.keys.max() ?? 0
        return (sMin, (sMin...sMax).map { rows[$0] ?? Array(repeating: 0, count: k) })
    }

    /// The kernel equivalent (away from the borders) to upsampling height and width ×2, convolving with `w`
    /// `[16, 1, kd, kh, kw]` and keeping the even rows and columns; the depth taps are unchanged. Its height
    /// and width offsets start at `coarseTaps(k).sMin`.
    static func coarseEquivalent(_ w: Tensor) -> Tensor {
        let (c, kd, kh, kw) = (w.shape[0], w.shape[2], w.shape[3], w.shape[4])
        let td = (0..<kd).map { i in (0..<kd).map { $0 == i ? 1.0 : 0.0 } }
        let (_, th) = coarseTaps(kh), (_, tw) = coarseTaps(kw)
        let (nd, nh, nw) = (td.count, th.count, tw.count)
        let src = w.scalars
        var out = [Float](repeating: 0, count: c * nd * nh * nw)
        for ch in 0..<c {
            for a in 0..<nd { for b in 0..<nh { for e in 0..<nw {
                var sum = 0.0
                for i in 0..<kd where td[a][i] != 0 {
                    for j in 0..<kh where th[b][j] != 0 {
                        for l in 0..<kw where tw[e][l] != 0 {
                            sum += td[a][i] * th[b][j] * tw[e][l] * Double(src[((ch * kd + i) * kh + j) * kw + l])
                        }
                    }
                }
                out[((ch * nd + a) * nh + b) * nw + e] = Float(sum)
            } } }
        }
        // The shape is valid by construction.
        guard let t = try? Tensor(shape: [c, 1, nd, nh, nw], scalars: out) else { preconditionFailure("coarseEquivalent") }
        return t
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

    /// The smoothing for a ray grid of half the full resolution, `[C, D, H, W]` → `[C, 2D, H, W]`: conv1,
    /// trilinear ×2 along depth only, then `coarseKernel2` in place of the height/width ×2 upsampling +
    /// conv2 + keeping the even rows and columns. Equal to `apply`'s even rows and columns up to rounding
    /// away from the volume's height/width borders (within 4 cells of them the reflect padding acts on the
    /// coarse instead of the fine grid). Used by the `preview` quality.
    public func coarseApply(_ volume: Tensor) throws -> Tensor {
        guard volume.rank == 4, (1...Self.channels).contains(volume.shape[0]) else {
            throw GeneratorError.invalidInput(field: "smoother volume", reason: "shape \(volume.shape), expected [C <= 16, D, H, W]")
        }
        let (c, d, h, w) = (volume.shape[0], volume.shape[1], volume.shape[2], volume.shape[3])
        let v1 = try volume.reshaped([1, c, d, h, w]).depthwiseConv3d(weight: kernel1.rows(0..<c), padding: padding)
        let v2 = try v1.resizedTrilinear(depth: 2 * d, height: h, width: w, alignCorners: false)
        // Height/width offsets start at sMin (negative): pad by −sMin on both sides, keep the first n outputs.
        let side = -Self.coarseTaps(2 * kernelDepth - 1).sMin
        let v3 = try v2.depthwiseConv3d(weight: coarseKernel2.rows(0..<c), padding: (kernelDepth / 2, side, side))
        let (od, oh, ow) = (v3.shape[2], v3.shape[3], v3.shape[4])
        precondition(od == 2 * d && oh >= h && ow >= w, "coarseApply: output \(v3.shape) for \(volume.shape)")
        var out = Tensor.zeros([c, 2 * d, h, w])
        v3.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for ch in 0..<c { for z in 0..<(2 * d) { for y in 0..<h {
                    let from = ((ch * od + z) * oh + y) * ow, to = ((ch * 2 * d + z) * h + y) * w
                    for x in 0..<w { dst[to + x] = src[from + x] }
                } } }
            }
        }
        return out
    }
}
