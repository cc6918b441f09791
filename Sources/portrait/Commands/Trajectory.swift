import ArgumentParser
import Foundation
import ModelIO
import StudioCore

/// `portrait trajectory import|export`: official keyframe files (`gen_video.py`) to and from trajectories.
struct TrajectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trajectory",
        abstract: "Convert between trajectories (JSON Lines) and the official keyframe .npy files.",
        subcommands: [TrajectoryImport.self, TrajectoryExport.self])
}

/// `portrait trajectory import`: keyframes → `portrait-trajectory/1`.
struct TrajectoryImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a trajectory from official keyframe files.",
        discussion: """
            As gen_video.py reads them: expression [N,64]; joints [N,6,3] radians (joints 12...17, ZYX); camera \
            [N,2] radians, pitch then yaw, absolute (frontal = pi/2, pi/2). Keyframe k blends linearly into k+1 \
            (the last into the first) over --interval frames at --fps: N x interval lines. The real-video \
            examples need --interval 1 --fps 12.5.
            """)

    @Option(help: "Expression keyframes [N, 64] (.npy).") var expression: String?
    @Option(help: "Joint Euler angles [N, 6, 3] in radians (.npy).") var joints: String?
    @Option(help: "Camera [N, 2] in radians, pitch then yaw (.npy).") var camera: String?
    @Option(help: "Frames per second of the result.") var fps: Double = 30
    @Option(help: "Frames from one keyframe to the next.") var interval: Int = 30
    @Option(help: "Identity seed of every line.") var seed: UInt32 = 0
    @Option(name: .shortAndLong, help: "The trajectory file to write (.jsonl).") var output: String

    func validate() throws {
        if expression == nil && joints == nil && camera == nil { throw ValidationError("give --expression, --joints or --camera") }
        guard fps.isFinite, fps > 0 else { throw ValidationError("--fps must be a positive number") }
        guard interval >= 1 else { throw ValidationError("--interval must be at least 1") }
    }

    func run() throws {
        let keyframes = try OfficialKeyframes.load(expression: expression, joints: joints, camera: camera)
        let trajectory = OfficialKeyframes.trajectory(keyframes, fps: fps, interval: interval, seed: seed)
        try AtomicFile.write(Data(OfficialKeyframes.fileText(trajectory, startedAt: Date()).utf8), to: output)
        print("\(output): \(trajectory.lines.count) lines from \(keyframes.count) keyframes, "
              + String(format: "%.2f s at %g fps", trajectory.duration, fps))
    }
}

/// `portrait trajectory export`: a trajectory → `expression.npy`, `joint_eulers.npy`, `camera_pose.npy`.
struct TrajectoryExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trajectory as official keyframe files (one row per frame, float32 radians).")

    @Argument(help: "The trajectory (.jsonl).") var trajectory: String
    @Option(name: .shortAndLong, help: "Output folder for expression.npy, joint_eulers.npy, camera_pose.npy.") var output: String
    @Option(help: "Frames per second to sample at (holding the last state).") var fps: Double = 30

    func validate() throws {
        guard fps.isFinite, fps > 0 else { throw ValidationError("--fps must be a positive number") }
    }

    func run() throws {
        let (read, readWarnings) = try TrajectoryReader.read(path: trajectory, expressionLabels: nil)
        let (expression, joints, camera, warnings) = OfficialKeyframes.export(read, fps: fps)
        for warning in readWarnings + warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try NPY.write(expression, to: output + "/expression.npy")
        try NPY.write(joints, to: output + "/joint_eulers.npy")
        try NPY.write(camera, to: output + "/camera_pose.npy")
        print("\(output): \(expression.shape[0]) frames at \(fps) fps")
    }
}
