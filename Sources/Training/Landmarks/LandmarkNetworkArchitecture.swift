/// The shape of the landmark network, a small fully convolutional heatmap regressor:
/// - the face crop `[B, 3, S, S]` (any S ≥ `workingSize`) is resized to `workingSize`² inside (2x2 means
///   while at least twice as large, then bilinear);
/// - `stages.s`: 3x3 convolution (zero padding 1), LeakyReLU 0.2, 2x2 average pool, per entry of
///   `stageChannels`;
/// - `refine.r`: 3x3 convolution, LeakyReLU 0.2 at the last stage's resolution, per entry of `refineChannels`;
/// - `heatmaps`: bias-free 1x1 convolution to 68 maps of `heatmapSize`², a softmax over each map's cells and the
///   expected cell centre (soft-argmax) → the 68 landmarks' `(x, y)` in normalised image coordinates
///   (`[B, 68, 2]`, [−1, 1], x right, y down; see `TrainingBatch.faceLandmarks`).
///
/// Convolutions and the soft-argmax keep the prediction translation-equivariant, which generalises from a
/// few dozen training faces much better than a dense head.
public struct LandmarkNetworkArchitecture: Codable, Sendable, Equatable {
    /// Side (pixels) the input is resized to; divisible by `2^stageChannels.count`.
    public var workingSize: Int
    /// Output channels of each pooled convolution stage.
    public var stageChannels: [Int]
    /// Output channels of each convolution at the heatmap resolution.
    public var refineChannels: [Int]

    /// Number of landmarks (iBUG 68).
    public static let landmarkCount = 68

    /// 64² working size, stages 16, 32 (→ 16² heatmaps), refinement 64, 64: about 65 k parameters,
    /// ~22 M multiply-adds per face.
    public static let standard = LandmarkNetworkArchitecture(workingSize: 64, stageChannels: [16, 32], refineChannels: [64, 64])

    public init(workingSize: Int, stageChannels: [Int], refineChannels: [Int]) {
        self.workingSize = workingSize
        self.stageChannels = stageChannels
        self.refineChannels = refineChannels
    }

    public func validate() throws {
        let factor = 1 << min(stageChannels.count, 20)
        guard (stageChannels + refineChannels).allSatisfy({ (1...1024).contains($0) }), stageChannels.count <= 10,
              refineChannels.count <= 10, workingSize >= factor, workingSize % factor == 0, workingSize <= 1024 else {
            throw TrainingError.invalidArgument(
                operation: "LandmarkNetworkArchitecture",
                reason: "working size \(workingSize) with stages \(stageChannels) and refinement \(refineChannels): needs 1...1024 channels per layer, at most 10 layers of each kind, and a size divisible by 2^stages")
        }
    }

    /// Side of the heatmaps (cells).
    public var heatmapSize: Int { workingSize >> stageChannels.count }

    /// Every parameter's name and shape, in order.
    public var parameterShapes: [(name: String, shape: [Int])] {
        var list: [(name: String, shape: [Int])] = []
        var inChannels = 3
        for (s, c) in stageChannels.enumerated() {
            list += [("stages.\(s).weight", [c, inChannels, 3, 3]), ("stages.\(s).bias", [c])]
            inChannels = c
        }
        for (r, c) in refineChannels.enumerated() {
            list += [("refine.\(r).weight", [c, inChannels, 3, 3]), ("refine.\(r).bias", [c])]
            inChannels = c
        }
        // No bias: the softmax of each map ignores a per-map constant.
        list.append(("heatmaps.weight", [Self.landmarkCount, inChannels, 1, 1]))
        return list
    }

    enum CodingKeys: String, CodingKey {
        case workingSize = "working_size"
        case stageChannels = "stage_channels"
        case refineChannels = "refine_channels"
    }
}
