/// A corpus's `meta.json`: what made it and how its labels are laid out and distributed.
public struct CorpusMeta: Codable, Sendable, Equatable {
    /// The format tag written and accepted (major 1).
    public static let currentFormat = "portrait-corpus/1"

    public var format: String
    /// The renderer that drew the images (`portrait-synth <version>`).
    public var generator: String
    public var seed: UInt64
    public var count: Int
    /// Portrait and face-crop sizes in pixels (square).
    public var size: Int
    public var faceSize: Int
    public var expressionNames: [String]
    public var jointNames: [String]
    public var identityDim: Int
    public var shapeDim: Int
    /// The label distributions, as readable text (one entry per label kind).
    public var distributions: [String: String]

    public init(generator: String, seed: UInt64, count: Int, size: Int, faceSize: Int, expressionNames: [String],
                jointNames: [String], identityDim: Int, shapeDim: Int, distributions: [String: String]) {
        format = Self.currentFormat
        self.generator = generator
        self.seed = seed
        self.count = count
        self.size = size
        self.faceSize = faceSize
        self.expressionNames = expressionNames
        self.jointNames = jointNames
        self.identityDim = identityDim
        self.shapeDim = shapeDim
        self.distributions = distributions
    }

    enum CodingKeys: String, CodingKey {
        case format, generator, seed, count, size, distributions
        case faceSize = "face_size"
        case expressionNames = "expression_names"
        case jointNames = "joint_names"
        case identityDim = "identity_dim"
        case shapeDim = "shape_dim"
    }
}
