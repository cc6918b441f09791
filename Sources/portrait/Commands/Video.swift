import ArgumentParser
import Foundation
import Generator
import ModelIO
import StudioCore
import Synth

/// `portrait video`: renders a trajectory to numbered PNGs.
struct Video: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a trajectory to numbered PNGs (DIR/000000.png ...).",
        discussion: """
            Frame k shows the trajectory's state at k / fps seconds (the latest line at or before it). \
            Expressions map onto the model by name, else by index. A progress bar with the remaining time \
            goes to stderr. --compare writes two panels per frame: the neural model (MODEL, or builtin when \
            MODEL is synthetic) left, synthetic right.
            """)

    @Argument(help: "The model: a .portrait file, a name in $XDG_DATA_HOME/portrait-studio/models/, builtin or synthetic (default: builtin when it is trained, else synthetic).")
    var model: String?
    @Option(help: "The trajectory (.jsonl).") var trajectory: String
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Frames per second.") var fps: Double = 30
    @Flag(help: "Two panels per frame: the neural model left, synthetic right (same controls and size).") var compare = false

    func validate() throws {
        guard fps.isFinite, fps > 0 else { throw ValidationError("--fps must be a positive number") }
    }

    func run() throws {
        let models = try ComparedModels.load(model, compare: compare)
        let space = models.primary.controlSpace
        let labels = (0..<space.expressionDim).map(space.expressionName)
        let (read, warnings) = try TrajectoryReader.read(path: trajectory, expressionLabels: labels)
        for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        guard !read.lines.isEmpty else { throw StudioCoreError.malformed(path: trajectory, reason: "no lines to render") }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let frames = TrajectorySchedule.frameCount(duration: read.duration, fps: fps)
        var progress = ProgressBar(total: frames)
        // The prepared identity of each model, kept while the identity and psi stay.
        var cached: [(key: String, identity: PreparedIdentity)?] = Array(repeating: nil, count: models.all.count)
        for k in 0..<frames {
            guard let i = TrajectorySchedule.line(at: Double(k) / fps, in: read.lines) else { continue }
            var controls = read.lines[i].controls
            controls.quality = .full
            var images: [RGBImage] = []
            for (m, model) in models.all.enumerated() {
                let psi = controls.psi ?? model.controlSpace.defaultPsi
                let key = "\(controls.identity)|\(psi)"
                if cached[m]?.key != key {
                    let codes = try model.codes(for: controls.identity)
                    let low = try model.prepareLowResolution(codes: codes, psi: psi, isCancelled: { false })
                    cached[m] = (key, try model.completeIdentity(low, isCancelled: { false }))
                }
                guard let identity = cached[m]?.identity else { continue }
                let frame = try model.render(identity: identity, controls: controls, isCancelled: { false })
                switch controls.show {
                case .image: images.append(try ImageConversion.rgb8(frame.image))
                case .lr: images.append(try ImageConversion.rgb8(frame.lowResolutionImage))
                case .depth:
                    let range = model.controlSpace.depthRange
                    images.append(try ImageConversion.depth8(frame.depth, near: range.lowerBound, far: range.upperBound))
                }
            }
            let image = images.count == 2 ? SideBySide.panels(images[0], images[1]) : images[0]
            let name = String(repeating: "0", count: max(0, 6 - String(k).count)) + String(k)
            try PNGCodec.write(image, to: "\(output)/\(name).png",
                               text: [(keyword: Favourites.textKeyword, value: ControlsJSON.encode(controls))])
            progress.advance()
        }
        progress.finish()
        print("\(output): \(frames) frames at \(fps) fps")
    }
}
