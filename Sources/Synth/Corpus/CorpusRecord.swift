/// One line of a corpus's `labels.jsonl`: the files of one portrait and everything known about it.
/// Angles in degrees; 2-D landmarks in pixels of their image (x right, y down, pixel centres at +0.5).
public struct CorpusRecord: Codable, Sendable, Equatable {
    /// Yaw and pitch in degrees.
    public struct View: Codable, Sendable, Equatable {
        public var yaw: Double
        public var pitch: Double
        public init(yaw: Double, pitch: Double) { self.yaw = yaw; self.pitch = pitch }
    }

    /// The 68 landmarks (iBUG order) projected into the portrait and into the face crop.
    public struct Landmarks: Codable, Sendable, Equatable {
        public var portrait: [[Double]]
        public var face: [[Double]]
        public init(portrait: [[Double]], face: [[Double]]) { self.portrait = portrait; self.face = face }
    }

    public var index: Int
    /// Paths relative to the corpus folder.
    public var portrait: String
    public var face: String
    /// The portrait camera relative to frontal.
    public var camera: View
    /// The face camera relative to the posed head.
    public var faceCamera: View
    /// Six joints `[z, y, x]` in the order of `meta.json`'s `joint_names`.
    public var joints: [[Double]]
    public var shape: [Double]
    public var identity: [Double]
    /// Weights in the order of `meta.json`'s `expression_names`.
    public var expression: [Double]
    public var landmarks: Landmarks
    /// Appearance choices (skin, hair style and colour, clothing) by name, for people reading the labels.
    public var appearance: [String: String]

    public init(index: Int, portrait: String, face: String, camera: View, faceCamera: View, joints: [[Double]],
                shape: [Double], identity: [Double], expression: [Double], landmarks: Landmarks,
                appearance: [String: String]) {
        self.index = index
        self.portrait = portrait
        self.face = face
        self.camera = camera
        self.faceCamera = faceCamera
        self.joints = joints
        self.shape = shape
        self.identity = identity
        self.expression = expression
        self.landmarks = landmarks
        self.appearance = appearance
    }

    enum CodingKeys: String, CodingKey {
        case index, portrait, face, camera, joints, shape, identity, expression, landmarks, appearance
        case faceCamera = "face_camera"
    }
}
