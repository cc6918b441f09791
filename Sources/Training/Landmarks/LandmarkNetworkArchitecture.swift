/// The shape of the landmark network: a face crop `[B, 3, S, S]` (any S ≥ `workingSize`) is resized to
/// `workingSize`² inside (2x2 means while at least twice as large, then bilinear), then per stage a 3x3
/// convolution (zero padding 1), LeakyReLU 0.2 and a 2x2 average pool; the flattened features go through a
/// hidden dense layer with LeakyReLU 0.2 and a dense head to the 68 landmarks' `(x, y)` in normalised image
/// coordinates (`[B, 68, 2]`, [−1, 1], x right, y down; see `TrainingBatch.faceLandmarks`).
public struct LandmarkNetworkArchitecture: Codable, Sendable, Equatable {
    /// Side (pixels) the input is resized to; divisible by `2^stageChannels.count`.
    public var workingSize: Int
    /// Output channels of each convolution stage.
    public var stageChannels: [Int]
    /// Width of the hidden dense layer.
    public var hiddenWidth: Int

    /// Number of landmarks (iBUG 68).
    public static let landmarkCount = 68

    /// 64² working size, stages 16, 32, 64, 64 (4² features), hidden 128: about 210 k parameters,
    /// ~14 M multiply-adds per face.
    public static let standard = LandmarkNetworkArchitecture(workingSize: 64, stageChannels: [16, 32, 64, 64], hiddenWidth: 128)

    public init(workingSize: Int, stageChannels: [Int], hiddenWidth: Int) {
        self.workingSize = workingSize
        self.stageChannels = stageChannels
        self.hiddenWidth = hiddenWidth
    }

    public func validate() throws {
        let factor = 1 << min(stageChannels.count, 20)
        guard !stageChannels.isEmpty, stageChannels.allSatisfy({ (1...1024).contains($0) }), (1...4096).contains(hiddenWidth),
              workingSize >= factor, workingSize % factor == 0, workingSize <= 1024 else {
            throw TrainingError.invalidArgument(
                operation: "LandmarkNetworkArchitecture",
                reason: "working size \(workingSize) with stages \(stageChannels) and hidden width \(hiddenWidth): needs 1...1024 channels per stage and a size divisible by 2^stages")
        }
    }

    /// Side of the last stage's feature map.
    public var featureSize: Int { workingSize >> stageChannels.count }

    /// Every parameter's name and shape, in order.
    public var parameterShapes: [(name: String, shape: [Int])] {
        var list: [(name: String, shape: [Int])] = []
        var inChannels = 3
        for (s, c) in stageChannels.enumerated() {
            list += [("stages.\(s).weight", [c, inChannels, 3, 3]), ("stages.\(s).bias", [c])]
            inChannels = c
        }
        let flat = inChannels * featureSize * featureSize
        list += [("hidden.weight", [hiddenWidth, flat]), ("hidden.bias", [hiddenWidth]),
                 ("head.weight", [2 * Self.landmarkCount, hiddenWidth]), ("head.bias", [2 * Self.landmarkCount])]
        return list
    }

    enum CodingKeys: String, CodingKey {
        case workingSize = "working_size"
        case stageChannels = "stage_channels"
        case hiddenWidth = "hidden_width"
    }
}
