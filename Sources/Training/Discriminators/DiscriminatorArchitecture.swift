/// The shape of a progressive residual CNN discriminator (pi-GAN / GRAM style), parameterised by its input
/// size.
///
/// Layers, for an input `[B, 3, height, width]`:
/// - `from_rgb`: 1x1 convolution 3 → `channels[0]`, LeakyReLU 0.2;
/// - `blocks.l` for `l < blockCount` (`channels[l]` → `channels[l + 1]`): two 3x3 convolutions (zero
///   padding 1) each followed by LeakyReLU 0.2, then a 2x2 average pool; the skip path is a 2x2 average pool
///   and a bias-free 1x1 convolution; output `(main + skip)/√2`. Each block halves both image axes;
/// - `head`: a dense layer from the flattened `[channels.last, height/2^blocks, width/2^blocks]` to one logit.
///
/// `blockCount` halves the smaller image axis down to 4 pixels (e.g. 64² → 4 blocks → 4²; the torso strip
/// 16 × 64 → 2 blocks → 4 × 16). `channels[l] = min(maxChannels, baseChannels·2^l)`; the defaults 16 / 128
/// are sized for CPU training (D_whole at 64²: 0.6 M parameters, a D step on 8 real + 8 generated images
/// ≈ 0.34 CPU-s; 32 / 256 is 2.5 M parameters and ≈ 0.9 CPU-s; D_face at 128²: 1.3 vs 5.3 CPU-s).
public struct DiscriminatorArchitecture: Codable, Sendable, Equatable {
    /// Input rows and columns (pixels); both divisible by `2^blockCount`.
    public var height: Int
    public var width: Int
    /// Channels after `from_rgb`, doubled per block up to `maxChannels`.
    public var baseChannels: Int
    public var maxChannels: Int

    public init(height: Int, width: Int, baseChannels: Int = 16, maxChannels: Int = 128) throws {
        self.height = height
        self.width = width
        self.baseChannels = baseChannels
        self.maxChannels = maxChannels
        try validate()
    }

    /// Checks sizes (each axis ≥ 4 and divisible by `2^blockCount`) and channel counts (≥ 1).
    public func validate() throws {
        guard height >= 4, width >= 4, height <= 4096, width <= 4096 else {
            throw TrainingError.invalidArgument(operation: "DiscriminatorArchitecture",
                                                reason: "input \(height)x\(width) pixels: each axis must be within 4...4096")
        }
        let factor = 1 << blockCount
        guard height % factor == 0, width % factor == 0 else {
            throw TrainingError.invalidArgument(
                operation: "DiscriminatorArchitecture",
                reason: "input \(height)x\(width): both axes must be divisible by \(factor) (\(blockCount) halvings down to 4 pixels)")
        }
        guard (1...4096).contains(baseChannels), (1...4096).contains(maxChannels) else {
            throw TrainingError.invalidArgument(operation: "DiscriminatorArchitecture",
                                                reason: "channels \(baseChannels), max \(maxChannels): must be within 1...4096")
        }
    }

    /// Number of residual (halving) blocks: `log2(min(height, width) / 4)`, rounded down.
    public var blockCount: Int {
        var n = 0, side = min(height, width)
        while side >= 8 { side /= 2; n += 1 }
        return n
    }

    /// Channels after `from_rgb` (index 0) and after each block (`blockCount + 1` entries).
    public var channels: [Int] {
        (0...blockCount).map { min(maxChannels, baseChannels << min($0, 20)) }
    }

    /// The head's input: `channels.last · (height / 2^blocks) · (width / 2^blocks)`.
    public var headInputs: Int {
        (channels.last ?? 0) * (height >> blockCount) * (width >> blockCount)
    }

    /// Every parameter's name and shape, in the fixed order of `Discriminator.parameters`.
    public var parameterShapes: [(name: String, shape: [Int])] {
        let c = channels
        var list: [(name: String, shape: [Int])] = [("from_rgb.weight", [c[0], 3, 1, 1]), ("from_rgb.bias", [c[0]])]
        for l in 0..<blockCount {
            let p = "blocks.\(l)."
            list += [(p + "conv1.weight", [c[l + 1], c[l], 3, 3]), (p + "conv1.bias", [c[l + 1]]),
                     (p + "conv2.weight", [c[l + 1], c[l + 1], 3, 3]), (p + "conv2.bias", [c[l + 1]]),
                     (p + "skip.weight", [c[l + 1], c[l], 1, 1])]
        }
        list += [("head.weight", [1, headInputs]), ("head.bias", [1])]
        return list
    }

    enum CodingKeys: String, CodingKey {
        case height, width
        case baseChannels = "base_channels"
        case maxChannels = "max_channels"
    }
}
