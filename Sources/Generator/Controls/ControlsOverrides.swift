/// Command-line overrides of a controls document (`portrait render --seed --psi --yaw --pitch --exp --pose --view`).
public struct ControlsOverrides: Sendable, Equatable {
    public var seed: UInt32?
    public var psi: Double?
    public var yaw: Double?
    public var pitch: Double?
    /// `i=v` (index) or `name=v` expression assignments, in order.
    public var expressions: [String] = []
    /// `joint.axis=v` assignments (axis z, y or x; degrees), in order.
    public var poses: [String] = []
    public var view: Controls.View?

    public init(seed: UInt32? = nil, psi: Double? = nil, yaw: Double? = nil, pitch: Double? = nil,
                expressions: [String] = [], poses: [String] = [], view: Controls.View? = nil) {
        self.seed = seed; self.psi = psi; self.yaw = yaw; self.pitch = pitch
        self.expressions = expressions; self.poses = poses; self.view = view
    }

    /// `controls` with the overrides applied and validated (ranges as in the controls document).
    /// `expressionDimension` and `expressionNames` describe the model's expression controls.
    public func applied(to controls: Controls, expressionDimension: Int, expressionNames: [String]?) throws -> Controls {
        var c = controls
        if let seed { c.identity = .seed(seed, blend: 0) }
        if let psi {
            guard psi.isFinite, (0...1.5).contains(psi) else { throw ControlsError.invalid(path: "--psi", reason: "\(psi) is outside [0, 1.5]") }
            c.psi = psi
        }
        if let yaw {
            guard yaw.isFinite, (-180...180).contains(yaw) else { throw ControlsError.invalid(path: "--yaw", reason: "\(yaw) is outside [-180, 180]") }
            c.camera.yaw = yaw
        }
        if let pitch {
            guard pitch.isFinite, (-89...89).contains(pitch) else { throw ControlsError.invalid(path: "--pitch", reason: "\(pitch) is outside [-89, 89]") }
            c.camera.pitch = pitch
        }
        if !expressions.isEmpty {
            var vector = try c.expressionVector(dimension: expressionDimension, names: expressionNames)
            for assignment in expressions {
                let (key, value) = try Self.split(assignment, option: "--exp")
                let index: Int?
                if let i = Int(key) { index = i } else if let names = expressionNames { index = names.firstIndex(of: key) } else { index = Controls.numberedIndex(key) }
                guard let index, index >= 0, index < expressionDimension else {
                    throw ControlsError.invalid(path: "--exp \(assignment)",
                                                reason: "no expression '\(key)' (model has \(expressionDimension)\(expressionNames.map { ": " + $0.joined(separator: ", ") } ?? ", indices 0…\(expressionDimension - 1)"))")
                }
                vector[index] = value
            }
            c.expression = .values(vector)
        }
        for assignment in poses {
            let (key, value) = try Self.split(assignment, option: "--pose")
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let slot = Controls.jointNames.firstIndex(of: parts[0]),
                  let axis = ["z", "y", "x"].firstIndex(of: parts[1]) else {
                throw ControlsError.invalid(path: "--pose \(assignment)",
                                            reason: "expected joint.axis=degrees with joint one of \(Controls.jointNames.joined(separator: ", ")) and axis z, y or x")
            }
            guard (-180...180).contains(value) else {
                throw ControlsError.invalid(path: "--pose \(assignment)", reason: "\(value) is outside [-180, 180]")
            }
            c.joints[slot][axis] = value
        }
        if let view { c.view = view }
        return c
    }

    static func split(_ assignment: String, option: String) throws -> (String, Double) {
        guard let eq = assignment.firstIndex(of: "="), let value = Double(assignment[assignment.index(after: eq)...]),
              value.isFinite else {
            throw ControlsError.invalid(path: "\(option) \(assignment)", reason: "expected key=number")
        }
        return (String(assignment[..<eq]), value)
    }
}
