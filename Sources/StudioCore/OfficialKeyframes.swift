import Foundation
import Generator
import ModelIO

/// Conversion between the official keyframe files of `gen_video.py` and trajectories (DESIGN.md §4
/// "Official keyframes"): expression `[N, 64]`, joints `[N, 6, 3]` radians (joints 12…17, ZYX), camera
/// `[N, 2]` radians, pitch φ then yaw θ, absolute (frontal = π/2, π/2).
public enum OfficialKeyframes {
    /// Keyframes as read from the files (radians; any of the three may be absent).
    public struct Keyframes: Equatable, Sendable {
        /// `[N][D]` expression coefficients.
        public var expression: [[Double]]?
        /// `[N][6][3]` joint Euler angles in radians.
        public var joints: [[[Double]]]?
        /// `[N][2]` camera (φ pitch, θ yaw) in radians, absolute.
        public var camera: [[Double]]?

        public init(expression: [[Double]]? = nil, joints: [[[Double]]]? = nil, camera: [[Double]]? = nil) {
            self.expression = expression; self.joints = joints; self.camera = camera
        }

        /// Number of keyframes (all present files agree).
        public var count: Int { expression?.count ?? joints?.count ?? camera?.count ?? 0 }
    }

    /// Reads one to three `.npy` files and checks their shapes and that their lengths agree.
    public static func load(expression: String?, joints: String?, camera: String?) throws -> Keyframes {
        guard expression != nil || joints != nil || camera != nil else {
            throw StudioCoreError.malformed(path: "(keyframes)", reason: "give at least one of --expression, --joints, --camera")
        }
        var keyframes = Keyframes()
        var lengths: [(String, Int)] = []
        if let expression {
            let array = try readArray(expression)
            guard array.shape.count == 2, array.shape[1] > 0 else {
                throw StudioCoreError.malformed(path: expression, reason: "shape \(array.shape), expected [N, expression_dim]")
            }
            let values = array.doubles
            let d = array.shape[1]
            keyframes.expression = (0..<array.shape[0]).map { Array(values[($0 * d)..<(($0 + 1) * d)]) }
            lengths.append((expression, array.shape[0]))
        }
        if let joints {
            let array = try readArray(joints)
            guard array.shape.count == 3, array.shape[1] == 6, array.shape[2] == 3 else {
                throw StudioCoreError.malformed(path: joints, reason: "shape \(array.shape), expected [N, 6, 3]")
            }
            let values = array.doubles
            keyframes.joints = (0..<array.shape[0]).map { n in
                (0..<6).map { j in (0..<3).map { a in values[n * 18 + j * 3 + a] } }
            }
            lengths.append((joints, array.shape[0]))
        }
        if let camera {
            let array = try readArray(camera)
            guard array.shape.count == 2, array.shape[1] == 2 else {
                throw StudioCoreError.malformed(path: camera, reason: "shape \(array.shape), expected [N, 2] (pitch, yaw)")
            }
            let values = array.doubles
            keyframes.camera = (0..<array.shape[0]).map { [values[$0 * 2], values[$0 * 2 + 1]] }
            lengths.append((camera, array.shape[0]))
        }
        if Set(lengths.map(\.1)).count > 1 {
            throw StudioCoreError.malformed(path: "(keyframes)", reason: "the files differ in length: "
                + lengths.map { "\($0.0) has \($0.1)" }.joined(separator: ", "))
        }
        guard keyframes.count > 0 else {
            throw StudioCoreError.malformed(path: lengths.first?.0 ?? "(keyframes)", reason: "no keyframes (N = 0)")
        }
        for (path, _) in lengths {
            if let bad = [keyframes.expression?.flatMap { $0 }, keyframes.joints?.flatMap { $0.flatMap { $0 } },
                          keyframes.camera?.flatMap { $0 }].compactMap({ $0 }).joined().first(where: { !$0.isFinite }) {
                throw StudioCoreError.malformed(path: path, reason: "\(bad) is not a finite number")
            }
        }
        return keyframes
    }

    static func readArray(_ path: String) throws -> NumericArray {
        do { return try NPY.read(path) } catch { throw StudioCoreError.malformed(path: path, reason: "\(error)") }
    }

    /// The trajectory `gen_video.py` plays: keyframe k blends linearly into k+1 (the last into the first)
    /// over `interval` frames at `fps`, N·interval lines at `t = frame / fps`. Angles become degrees,
    /// the camera relative to frontal (`yaw = deg(θ) - 90`, `pitch = deg(φ) - 90`). ψ is left to the model.
    public static func trajectory(_ keyframes: Keyframes, fps: Double, interval: Int, seed: UInt32) -> Trajectory {
        let n = keyframes.count
        let dimension = keyframes.expression?.first?.count ?? 0
        let header = TrajectoryHeader(model: ModelIdentity(name: "official-keyframes"),
                                      expressionNames: (0..<dimension).map { $0 < 10 ? "e0\($0)" : "e\($0)" })
        var lines: [TrajectoryLine] = []
        lines.reserveCapacity(n * interval)
        let degrees = 180 / Double.pi
        for k in 0..<n {
            let next = (k + 1) % n
            for j in 0..<interval {
                let w = Double(j) / Double(interval)
                func mix(_ a: Double, _ b: Double) -> Double { (1 - w) * a + w * b }
                var controls = Controls(identity: .seed(seed, blend: 0))
                if let e = keyframes.expression {
                    controls.expression = .values(zip(e[k], e[next]).map(mix))
                }
                if let joints = keyframes.joints {
                    controls.joints = (0..<6).map { s in (0..<3).map { a in mix(joints[k][s][a], joints[next][s][a]) * degrees } }
                }
                if let camera = keyframes.camera {
                    let phi = mix(camera[k][0], camera[next][0]), theta = mix(camera[k][1], camera[next][1])
                    controls.camera = Controls.Camera(yaw: theta * degrees - 90, pitch: phi * degrees - 90)
                }
                lines.append(TrajectoryLine(t: Double(k * interval + j) / fps, controls: controls))
            }
        }
        return Trajectory(header: header, lines: lines)
    }

    /// The whole file text of `trajectory` (header stamped with `startedAt`, one line each, final newline).
    public static func fileText(_ trajectory: Trajectory, startedAt: Date) -> String {
        var text = TrajectoryFormat.headerLine(trajectory.header, startedAt: startedAt) + "\n"
        for line in trajectory.lines { text += TrajectoryFormat.line(t: line.t, controls: line.controls) + "\n" }
        return text
    }

    /// The official arrays for `trajectory` sampled at `fps` (frame k at `k / fps`, holding the last
    /// state): expression `[F, D]`, joint_eulers `[F, 6, 3]`, camera_pose `[F, 2]`, float32 radians.
    /// Warnings: D ≠ 64, the identity changing, named expressions the header cannot place.
    public static func export(_ trajectory: Trajectory, fps: Double) -> (expression: NumericArray, joints: NumericArray,
                                                                         camera: NumericArray, warnings: [String]) {
        var warnings: [String] = []
        let lines = trajectory.lines
        let frames = lines.isEmpty ? 0 : TrajectorySchedule.frameCount(duration: trajectory.duration, fps: fps)
        let names = trajectory.header.expressionNames
        var dimension = names.count
        if dimension == 0 { dimension = lines.map { $0.controls.studioExpression.count }.max() ?? 0 }
        if dimension == 0 { dimension = 64 }
        if dimension != 64 { warnings.append("the trajectory has \(dimension) expressions; the official files have 64") }
        if Set(lines.map { identityKey($0.controls.identity) }).count > 1 {
            warnings.append("the identity changes during the trajectory; the official files cannot hold it")
        }
        var unplaced = Set<String>()
        var expression: [Float] = [], joints: [Float] = [], camera: [Float] = []
        expression.reserveCapacity(frames * dimension)
        let radians = Double.pi / 180
        for k in 0..<frames {
            guard let i = TrajectorySchedule.line(at: Double(k) / fps, in: lines) else { continue }
            let c = lines[i].controls
            var vector = Array(repeating: 0.0, count: dimension)
            switch c.expression {
            case let .values(v): for d in 0..<min(v.count, dimension) { vector[d] = v[d] }
            case let .named(map):
                for (name, value) in map {
                    if let d = names.firstIndex(of: name), d < dimension { vector[d] = value } else { unplaced.insert(name) }
                }
            }
            expression += vector.map { Float($0) }
            joints += c.joints.flatMap { $0 }.map { Float($0 * radians) }
            camera += [Float((c.camera.pitch + 90) * radians), Float((c.camera.yaw + 90) * radians)]
        }
        if !unplaced.isEmpty {
            warnings.append("expressions not in the header's layout were dropped: \(unplaced.sorted().joined(separator: ", "))")
        }
        return (NumericArray(shape: [frames, dimension], dtype: .float32, values: .float(expression)),
                NumericArray(shape: [frames, 6, 3], dtype: .float32, values: .float(joints)),
                NumericArray(shape: [frames, 2], dtype: .float32, values: .float(camera)), warnings)
    }

    static func identityKey(_ identity: Controls.Identity) -> String {
        switch identity {
        case let .seed(s, b): return "\(s)+\(b)"
        case let .codes(c): return "codes\(c.identity.count)-\(c.identity.first ?? 0)-\(c.noise.first ?? 0)"
        }
    }
}

extension NumericArray {
    /// The elements as Double (float32 values widened exactly).
    var doubles: [Double] {
        switch values {
        case let .float(v): return v.map(Double.init)
        case let .double(v): return v
        case let .integer(v): return v.map(Double.init)
        case let .unsigned(v): return v.map(Double.init)
        }
    }
}
