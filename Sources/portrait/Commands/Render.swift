import ArgumentParser
import Foundation
import Generator
import ModelIO
import Synth

/// `portrait render`: one frame of a model to PNG (and optionally LR image, depth, raw arrays).
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one portrait to PNG.",
        discussion: """
            Controls come from --seed or a controls JSON file (--controls, DESIGN.md section 4; a favourite's \
            sidecar works too) and the options below override them. Angles are degrees; camera angles are \
            relative to frontal. --compare writes two panels side by side: the neural model (MODEL, or builtin \
            when MODEL is synthetic) on the left, synthetic on the right, for the same controls.
            """)

    @Argument(help: "The model: a .portrait file, a name in $XDG_DATA_HOME/portrait-studio/models/, builtin or synthetic (default: builtin when it is trained, else synthetic).")
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
    @Flag(help: "Two panels: the neural model left, synthetic right (same controls and size).") var compare = false
    @Option(name: .shortAndLong, help: "Output PNG (the HR image).") var output: String
    @Option(help: "Also write the LR image as PNG.") var lr: String?
    @Option(help: "Also write the depth map as PNG (inferno colours).") var depth: String?
    @Option(help: "Also write image_hr.npy, image_lr.npy and depth.npy (float32) into this folder.") var npy: String?

    func validate() throws {
        if seed == nil && controls == nil { throw ValidationError("give --seed or --controls") }
        if let view, Controls.View(rawValue: view) == nil { throw ValidationError("--view must be portrait or face") }
        if let quality, Controls.Quality(rawValue: quality) == nil { throw ValidationError("--quality must be full or preview") }
        if compare && npy != nil { throw ValidationError("--npy writes one model's arrays: leave out --compare") }
    }

    func run() throws {
        let models = try ComparedModels.load(model, compare: compare)
        let primary = models.primary
        var base = Controls(identity: .seed(seed ?? 0, blend: 0))
        if let controls { base = try ControlsJSON.read(path: controls) }
        let overrides = ControlsOverrides(seed: seed, psi: psi, yaw: yaw, pitch: pitch, expressions: expressions,
                                          poses: poses, view: view.flatMap(Controls.View.init(rawValue:)))
        let space = primary.controlSpace
        var resolved = try overrides.applied(to: base, expressionDimension: space.expressionDim,
                                             expressionNames: space.expressionNames)
        if let quality { resolved.quality = Controls.Quality(rawValue: quality) ?? resolved.quality }
        let frames = try models.all.map { try $0.renderAll(controls: resolved) }

        let text = [(keyword: "portrait.controls", value: ControlsJSON.encode(resolved))]
        func write(_ images: [RGBImage], to path: String, text: [(keyword: String, value: String)]) throws {
            try PNGCodec.write(images.count == 2 ? SideBySide.panels(images[0], images[1]) : images[0], to: path, text: text)
        }
        try write(try frames.map { try ImageConversion.rgb8($0.image) }, to: output, text: text)
        if let lr { try write(try frames.map { try ImageConversion.rgb8($0.lowResolutionImage) }, to: lr, text: text) }
        if let depth {
            let images = try zip(frames, models.all).map { frame, model in
                let range = model.controlSpace.depthRange
                return try ImageConversion.depth8(frame.depth, near: range.lowerBound, far: range.upperBound)
            }
            try write(images, to: depth, text: [])
        }
        if let npy, let frame = frames.first {
            try FileManager.default.createDirectory(atPath: npy, withIntermediateDirectories: true)
            for (name, tensor) in [("image_hr", frame.image), ("image_lr", frame.lowResolutionImage), ("depth", frame.depth)] {
                try NPY.write(NumericArray(shape: tensor.shape, dtype: .float32, values: .float(tensor.scalars)),
                              to: npy + "/\(name).npy")
            }
        }
    }
}

/// The model of a command, or with `--compare` the neural model and `synthetic` at its size.
struct ComparedModels {
    /// The model whose control space reads the controls: the neural one when comparing.
    let primary: any PortraitModel
    /// `[primary]`, or `[neural, synthetic]`.
    let all: [any PortraitModel]

    /// Loads MODEL; with `compare`, the neural side is MODEL (or `builtin` when MODEL is `synthetic`), refused
    /// when its expressions are not the built-in named blendshapes.
    static func load(_ model: String?, compare: Bool) throws -> ComparedModels {
        guard compare else {
            let single = try ModelLocator.load(model)
            return ComparedModels(primary: single, all: [single])
        }
        var name = model ?? BuiltinModel.name
        if name == BuiltinModel.syntheticName { name = BuiltinModel.name }
        let neural = try ModelLocator.load(name)
        if let reason = SideBySide.unavailableReason(neuralName: neural.identity.name, space: neural.controlSpace) {
            throw ModelLocator.Unavailable(description: "--compare is unavailable: \(reason)")
        }
        let synthetic = try SyntheticPortraitModel(size: neural.controlSpace.imageSize)
        return ComparedModels(primary: neural, all: [neural, synthetic])
    }
}
