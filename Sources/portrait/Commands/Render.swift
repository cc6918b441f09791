import ArgumentParser
import Foundation
import Generator
import ModelIO

/// `portrait render`: one frame of a model to PNG (and optionally LR image, depth, raw arrays).
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one portrait to PNG.",
        discussion: """
            Controls come from --seed or a controls JSON file (--controls, DESIGN.md section 4; a favourite's \
            sidecar works too) and the options below override them. Angles are degrees; camera angles are \
            relative to frontal.
            """)

    @Argument(help: "The model: a .portrait file, a name in $XDG_DATA_HOME/portrait-studio/models/, or builtin (the default).")
    var model: String?

    @Option(help: "Identity seed (0...4294967295).") var seed: UInt32?
    @Option(help: "A controls JSON file (or a favourite sidecar).") var controls: String?
    @Option(help: "Truncation psi in [0, 1.5].") var psi: Double?
    @Option(help: "Camera yaw in degrees relative to frontal.") var yaw: Double?
    @Option(help: "Camera pitch in degrees relative to frontal.") var pitch: Double?
    @Option(name: .customLong("exp"), help: "Expression value, index=v or name=v (repeatable).") var expressions: [String] = []
    @Option(name: .customLong("pose"), help: "Joint angle joint.axis=degrees, axis z, y or x (repeatable).") var poses: [String] = []
    @Option(help: "Camera: portrait or face.") var view: String?
    @Option(help: "Quality: full or preview.") var quality: String?
    @Option(name: .shortAndLong, help: "Output PNG (the HR image).") var output: String
    @Option(help: "Also write the LR image as PNG.") var lr: String?
    @Option(help: "Also write the depth map as PNG (inferno colours).") var depth: String?
    @Option(help: "Also write image_hr.npy, image_lr.npy and depth.npy (float32) into this folder.") var npy: String?

    func validate() throws {
        if seed == nil && controls == nil { throw ValidationError("give --seed or --controls") }
        if let view, Controls.View(rawValue: view) == nil { throw ValidationError("--view must be portrait or face") }
        if let quality, Controls.Quality(rawValue: quality) == nil { throw ValidationError("--quality must be full or preview") }
    }

    func run() throws {
        let generator = try PortraitGenerator(path: ModelLocator.path(for: model ?? BuiltinModel.name))
        var base = Controls(identity: .seed(seed ?? 0, blend: 0))
        if let controls { base = try ControlsJSON.read(path: controls) }
        let overrides = ControlsOverrides(seed: seed, psi: psi, yaw: yaw, pitch: pitch, expressions: expressions,
                                          poses: poses, view: view.flatMap(Controls.View.init(rawValue:)))
        var resolved = try overrides.applied(to: base, expressionDimension: generator.configuration.expressionDim,
                                             expressionNames: generator.expressionNames)
        if let quality { resolved.quality = Controls.Quality(rawValue: quality) ?? resolved.quality }
        let codes = try generator.codes(for: resolved.identity)
        let maps = try generator.prepareIdentity(codes: codes, psi: generator.psi(for: resolved))
        let frame = try generator.render(identity: maps, shape: codes.shape, controls: resolved)

        let text = [(keyword: "portrait.controls", value: ControlsJSON.encode(resolved))]
        try PNGCodec.write(try ImageConversion.rgb8(frame.image), to: output, text: text)
        if let lr { try PNGCodec.write(try ImageConversion.rgb8(frame.lowResolutionImage), to: lr, text: text) }
        if let depth {
            let range = generator.depthRange
            try PNGCodec.write(try ImageConversion.depth8(frame.depth, near: range.lowerBound, far: range.upperBound), to: depth)
        }
        if let npy {
            try FileManager.default.createDirectory(atPath: npy, withIntermediateDirectories: true)
            for (name, tensor) in [("image_hr", frame.image), ("image_lr", frame.lowResolutionImage), ("depth", frame.depth)] {
                try NPY.write(NumericArray(shape: tensor.shape, dtype: .float32, values: .float(tensor.scalars)),
                              to: npy + "/\(name).npy")
            }
        }
    }
}
