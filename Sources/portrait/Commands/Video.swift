import ArgumentParser
import Foundation
import Generator
import ModelIO
import StudioCore

/// `portrait video`: renders a trajectory to numbered PNGs.
struct Video: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a trajectory to numbered PNGs (DIR/000000.png ...).",
        discussion: """
            Frame k shows the trajectory's state at k / fps seconds (the latest line at or before it). \
            Expressions map onto the model by name, else by index. A progress bar with the remaining time \
            goes to stderr.
            """)

    @Argument(help: "The model: a .portrait file or a name in $XDG_DATA_HOME/portrait-studio/models/.")
    var model: String
    @Option(help: "The trajectory (.jsonl).") var trajectory: String
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Frames per second.") var fps: Double = 30

    func validate() throws {
        guard fps.isFinite, fps > 0 else { throw ValidationError("--fps must be a positive number") }
    }

    func run() throws {
        let generator = try PortraitGenerator(path: ModelLocator.path(for: model))
        let labels = generator.expressionNames
            ?? (0..<generator.configuration.expressionDim).map { $0 < 10 ? "e0\($0)" : "e\($0)" }
        let (read, warnings) = try TrajectoryReader.read(path: trajectory, expressionLabels: labels)
        for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        guard !read.lines.isEmpty else { throw StudioCoreError.malformed(path: trajectory, reason: "no lines to render") }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let frames = TrajectorySchedule.frameCount(duration: read.duration, fps: fps)
        var progress = ProgressBar(total: frames)
        var cached: (key: String, maps: IdentityMaps, shape: [Float])?
        for k in 0..<frames {
            guard let i = TrajectorySchedule.line(at: Double(k) / fps, in: read.lines) else { continue }
            var controls = read.lines[i].controls
            controls.quality = .full
            let psi = generator.psi(for: controls)
            let key = "\(controls.identity)|\(psi)"
            if cached?.key != key {
                let codes = try generator.codes(for: controls.identity)
                cached = (key, try generator.prepareIdentity(codes: codes, psi: psi), codes.shape)
            }
            guard let identity = cached else { continue }
            let frame = try generator.render(identity: identity.maps, shape: identity.shape, controls: controls)
            let image: RGBImage
            switch controls.show {
            case .image: image = try ImageConversion.rgb8(frame.image)
            case .lr: image = try ImageConversion.rgb8(frame.lowResolutionImage)
            case .depth:
                image = try ImageConversion.depth8(frame.depth, near: generator.depthRange.lowerBound, far: generator.depthRange.upperBound)
            }
            let name = String(repeating: "0", count: max(0, 6 - String(k).count)) + String(k)
            try PNGCodec.write(image, to: "\(output)/\(name).png",
                               text: [(keyword: Favourites.textKeyword, value: ControlsJSON.encode(controls))])
            progress.advance()
        }
        progress.finish()
        print("\(output): \(frames) frames at \(fps) fps")
    }
}
