import ArgumentParser
import Foundation
import Generator
import ModelIO
import Numerics

/// `portrait formula-weights` (hidden): the reference data's synthetic weights, rebuilt from a
/// `manifest.json` with the counter-based formula of `reference/README.md` ("Weights"), as a safetensors
/// file, or (output ending in `.portrait`) as a bundle that `render` and `bench` load. The official-shape
/// reference ships no weights: this builds them (write them to a cache or temporary folder, never into the
/// reference folder).
struct FormulaWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formula-weights",
        abstract: "Build the reference formula weights of a manifest.json as a safetensors file or a .portrait bundle.",
        discussion: """
            A .portrait output also takes the configuration (config.json beside the manifest, or --config), \
            the truncation means (.npy files beside the manifest, or --means DIR), the body model (--smpl) and \
            the KNN vertex subset (--knn-index), as `portrait import` does for a checkpoint.
            """,
        shouldDisplay: false)

    @Argument(help: "A reference manifest.json (e.g. reference/official-shape/manifest.json).")
    var manifest: String

    @Option(name: .shortAndLong, help: "Output .safetensors file, or .portrait bundle.")
    var output: String

    @Option(help: "Bundle: the configuration (default: config.json beside the manifest).")
    var config: String?

    @Option(help: "Bundle: folder with the truncation means (default: the manifest's folder).")
    var means: String?

    @Option(help: "Bundle: body model (.pkl, .pkl.gz or .npz, SMPL layout).")
    var smpl: String?

    @Option(name: .customLong("knn-index"), help: "Bundle: valid_smpl_knn_index.npy.")
    var knnIndex: String?

    func validate() throws {
        if output.hasSuffix(".portrait"), smpl == nil || knnIndex == nil {
            throw ValidationError("a .portrait output needs --smpl and --knn-index")
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let weights = try FormulaWeights.build(manifestPath: manifest)
        let count = weights.tensors.values.reduce(0) { $0 + $1.count }
        if output.hasSuffix(".portrait") {
            try writeBundle(weights)
        } else {
            try weights.writeSafetensors(to: output, metadata: ["source": "formula weights of \(manifest)"])
        }
        print("wrote \(weights.tensors.count) tensors (\(count) values) to \(output) in \(clock.now - start)")
    }

    /// The weights with body, KNN subset and means as a bundle (provenance source `formula-weights`).
    private func writeBundle(_ weights: Weights) throws {
        let folder = (manifest as NSString).deletingLastPathComponent
        let configPath = config ?? (folder as NSString).appendingPathComponent("config.json")
        guard let configData = FileManager.default.contents(atPath: configPath) else {
            throw ModelIOError.io(path: configPath, reason: "cannot read the configuration")
        }
        let (configuration, rendering) = try OfficialImport.parseConfig(configData, path: configPath)
        let name = ((folder as NSString).lastPathComponent.isEmpty ? "formula" : (folder as NSString).lastPathComponent)
        var metadata = BundleMetadata(name: name, generator: configuration, rendering: rendering)
        var writer = BundleWriter(metadata: metadata)
        for name in weights.names {
            guard let tensor = weights.tensors[name] else { continue }
            try writer.add(name, tensor)
        }
        guard let smpl, let knnIndex else { throw ValidationError("a .portrait output needs --smpl and --knn-index") }
        let body = try BodyModelFile(path: smpl, shapeDim: configuration.shapeDim)
        for (name, array) in body.bundleArrays(poseBlendShapes: true) { try writer.add(name, array) }
        metadata.rendering.body.poseBlendShapes = true
        let knn = try NPY.read(knnIndex)
        guard knn.shape.count == 1, knn.integers != nil else {
            throw ModelIOError.malformed(path: knnIndex, reason: "expected a 1-D integer array, found \(knn.dtype.rawValue) \(knn.shape)")
        }
        try writer.add("body.knn_index", try knn.converted(to: .int64))
        let meansFolder = means ?? folder
        for (file, tensor, size) in [("avg_frequencies.npy", "truncation.avg_frequencies", 9 * configuration.hiddenDim),
                                     ("avg_phase_shifts.npy", "truncation.avg_phase_shifts", 9 * configuration.hiddenDim),
                                     ("sr_avg_w.npy", "truncation.avg_w", configuration.srMappingHiddenDim),
                                     ("sr_avg_style.npy", "truncation.avg_style", configuration.styleDim)] {
            let path = (meansFolder as NSString).appendingPathComponent(file)
            let array = try NPY.read(path)
            guard array.dtype.isFloatingPoint, array.shape == [size] || array.shape == [1, size] else {
                throw ModelIOError.malformed(path: path, reason: "\(array.dtype.rawValue) \(array.shape), expected float [\(size)] or [1, \(size)]")
            }
            try writer.add(tensor, NumericArray(shape: [1, size], dtype: .float32, values: .float(array.floats)))
        }
        metadata.truncation = .init(source: "files", samples: 10_000)
        metadata.provenance = .init(source: "formula-weights")
        writer.metadata = metadata
        _ = try writer.write(to: output)
    }
}
