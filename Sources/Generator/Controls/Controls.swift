/// Everything a user sets to get one image: identity, truncation, expression, camera, joints and view.
///
/// Units follow DESIGN.md §4: angles in degrees; camera angles relative to frontal (positive yaw moves the
/// camera to the subject's right, positive pitch down); joints as `[z, y, x]` ZYX Euler angles of SMPL
/// joints 12…17 relative to the mean pose. Values are `Double` here; the generator rounds to `Float`.
public struct Controls: Sendable, Equatable {
    /// Who is portrayed: a seed (with a blend towards the next seed) or explicit codes.
    public enum Identity: Sendable, Equatable {
        /// Seed in [0, 2^32-1]; `blend` in [0, 1) walks towards seed + 1.
        case seed(UInt32, blend: Double)
        /// Explicit codes.
        case codes(IdentityCodes)
    }

    /// Expression coefficients: by position, or by name (missing names are 0).
    public enum Expression: Sendable, Equatable {
        case values([Double])
        case named([String: Double])
    }

    /// Camera angles in degrees relative to frontal.
    public struct Camera: Sendable, Equatable {
        /// Azimuth offset in [-180, 180]; positive moves the camera to the subject's right (-x).
        public var yaw: Double
        /// Polar offset in [-89, 89]; positive moves the camera down.
        public var pitch: Double
        public init(yaw: Double = 0, pitch: Double = 0) { self.yaw = yaw; self.pitch = pitch }
    }

    /// Which camera renders.
    public enum View: String, Sendable, CaseIterable { case portrait, face }
    /// What the image shows.
    public enum Show: String, Sendable, CaseIterable { case image, depth, lr }
    /// Rendering quality (SPEC.md §7 for `preview`).
    public enum Quality: String, Sendable, CaseIterable { case full, preview }

    /// Names of the six controllable joints, in slot order (SMPL joints 12…17).
    public static let jointNames = ["neck", "left_collar", "right_collar", "head", "left_shoulder", "right_shoulder"]

    public var identity: Identity
    /// Truncation ψ in [0, 1.5]; nil means the model's default.
    public var psi: Double?
    public var expression: Expression
    public var camera: Camera
    /// Six `[z, y, x]` triples in degrees, slot order of `jointNames`.
    public var joints: [[Double]]
    public var view: View
    public var show: Show
    public var quality: Quality

    public init(identity: Identity = .seed(0, blend: 0), psi: Double? = nil,
                expression: Expression = .values([]), camera: Camera = Camera(),
                joints: [[Double]] = Array(repeating: [0, 0, 0], count: 6),
                view: View = .portrait, show: Show = .image, quality: Quality = .full) {
        self.identity = identity; self.psi = psi; self.expression = expression; self.camera = camera
        self.joints = joints; self.view = view; self.show = show; self.quality = quality
    }

    /// The expression as `dimension` numbers: positional values must have exactly that count; named values
    /// map through `names` (unknown names are an error).
    public func expressionVector(dimension: Int, names: [String]?) throws -> [Double] {
        switch expression {
        case let .values(v):
            if v.isEmpty { return Array(repeating: 0, count: dimension) }
            guard v.count == dimension else {
                throw ControlsError.invalid(path: "expression", reason: "\(v.count) values, model has \(dimension)")
            }
            return v
        case let .named(map):
            var out = Array(repeating: 0.0, count: dimension)
            for (name, value) in map {
                if let names, let i = names.firstIndex(of: name) {
                    out[i] = value
                } else if names == nil, let i = Self.numberedIndex(name), i < dimension {
                    out[i] = value
                } else {
                    throw ControlsError.invalid(path: "expression.\(name)", reason: "the model has no expression named '\(name)'")
                }
            }
            return out
        }
    }

    /// `e07` → 7 (numbered controls of models without expression names).
    static func numberedIndex(_ name: String) -> Int? {
        guard name.first == "e", let i = Int(name.dropFirst()), i >= 0 else { return nil }
        return i
    }
}

/// The three code vectors that define a person.
public struct IdentityCodes: Sendable, Equatable {
    /// 3DMM identity coefficients (`identity_dim`).
    public var identity: [Float]
    /// Body shape coefficients (`shape_dim`).
    public var shape: [Float]
    /// Appearance noise (`noise_dim`), N(0, 1).
    public var noise: [Float]

    public init(identity: [Float], shape: [Float], noise: [Float]) {
        self.identity = identity; self.shape = shape; self.noise = noise
    }
}

/// Errors in control documents and values. Messages name the JSON path.
public enum ControlsError: Error, CustomStringConvertible, Equatable {
    case invalid(path: String, reason: String)
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .invalid(path, reason): return "\(path): \(reason)"
        case let .unreadable(file, reason): return "\(file): \(reason)"
        }
    }
}
