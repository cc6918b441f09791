import ArgumentParser
import Foundation
import Generator
import ModelIO
import Numerics
import Synchronization

/// `portrait import`: builds a `.portrait` bundle from the official release (or the reference data).
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert an official AniPortraitGAN release (PyTorch checkpoint, numpy files, body model) into a .portrait bundle.",
        discussion: """
            Either an official release folder (ckpts/*.pt, smpl_models/valid_smpl_knn_index.npy, sampler_npy/*.npy), \
            or explicit paths; explicit options override what the folder provides.
            The configuration comes from --config, else a config.json beside the checkpoint or in the --means folder, \
            else the official SSHQ512_inf; it is checked against the checkpoint's tensor shapes.
            Truncation means come from --means DIR (avg_frequencies.npy, avg_phase_shifts.npy, sr_avg_w.npy or avg_w.npy, \
            sr_avg_style.npy or avg_style.npy); without it they are computed from the codes of seeds 0...9999.
            """)

    @Argument(help: "An official release folder (optional when --checkpoint and --knn-index are given).")
    var folder: String?

    @Option(help: "The generator checkpoint (torch.save zip format).")
    var checkpoint: String?

    @Option(name: .customLong("knn-index"), help: "valid_smpl_knn_index.npy (the vertex subset the KNN uses).")
    var knnIndex: String?

    @Option(help: "Body model (.pkl, .pkl.gz or .npz, SMPL layout) for checkpoints without renderer.smpl_model.* buffers.")
    var smpl: String?

    @Option(help: "Folder with the truncation means (.npy).")
    var means: String?

    @Option(help: "Folder with the sampler .npy files (id_shape_sampler_body.npy, expression_body.npy, camera_pose_joint_sample.npy, ...).")
    var samplers: String?

    @Option(help: "Configuration: a reference-style config.json (generator_kwargs, rendering_options) or a bare generator kwargs object.")
    var config: String?

    @Option(help: "Model name stored in the bundle (default: the checkpoint's file name).")
    var name: String?

    @Option(name: [.customShort("o"), .customLong("output")],
            help: "Output bundle (default: $XDG_DATA_HOME/portrait-studio/models/<name>.portrait).")
    var output: String?

    func validate() throws {
        if folder == nil && (checkpoint == nil || knnIndex == nil) {
            throw ValidationError("give an official release folder, or --checkpoint and --knn-index")
        }
    }

    func run() throws {
        var sources: OfficialImport.Sources
        if let folder {
            sources = try OfficialImport.releaseFolder(folder)
            if let checkpoint { sources.checkpoint = checkpoint }
            if let knnIndex { sources.knnIndex = knnIndex }
        } else {
            sources = OfficialImport.Sources(checkpoint: checkpoint ?? "", knnIndex: knnIndex ?? "")
        }
        if let smpl { sources.body = smpl }
        if let means { sources.means = means }
        if let samplers { sources.samplers = samplers }
        if let config { sources.config = config }
        if let name { sources.name = name }
        for (path, what) in [(sources.checkpoint, "the checkpoint"), (sources.knnIndex, "the KNN index")] {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ModelIOError.io(path: path, reason: "no such file (\(what))")
            }
        }

        let writer = try OfficialImport.assemble(sources, computeMeans: computeTruncationMeans)
        let destination: String
        if let output {
            destination = output
        } else {
            do {
                try FileManager.default.createDirectory(atPath: ModelLocator.modelsDirectory, withIntermediateDirectories: true)
            } catch {
                throw ModelIOError.io(path: ModelLocator.modelsDirectory, reason: "cannot create the models folder")
            }
            destination = ModelLocator.modelsDirectory + "/" + writer.metadata.name + ".portrait"
        }
        let stored = try writer.write(to: destination)
        let samplers = stored.samplers.byTensorName.filter { $0.rows > 0 }.map { "\($0.name.dropFirst(9)) \($0.rows)" }
        print("imported \(stored.name) -> \(destination): \(writer.names.count) tensors, truncation means from \(stored.truncation.source), samplers \(samplers.isEmpty ? "absent" : samplers.joined(separator: ", "))")
    }
}

/// The hook `OfficialImport` calls when no `--means` folder is given: truncation means from the
/// generator's mapping networks (SPEC.md section 2.7) over the codes of seeds 0..<samples (DESIGN.md
/// section 4): mean raw frequencies and phase shifts of the radiance mapping, mean `get_w` of the SR
/// mapping, and `from_w` of that mean.
func computeTruncationMeans(configuration: GeneratorConfiguration, weights: [String: Tensor],
                            idShapeSampler: Tensor?, samples: Int) throws -> OfficialImport.TruncationMeans {
    let loaded = Weights(tensors: weights, source: "checkpoint")
    let radiance = try RadianceMapping(weights: loaded, configuration: configuration)
    let sr = try SRMapping(weights: loaded, configuration: configuration)
    let half = 9 * configuration.hiddenDim
    let chunks = 16
    let width = 2 * half + configuration.srMappingHiddenDim
    // Each chunk sums its own seeds in Double; chunk sums are added in chunk order, so the result does
    // not depend on how the chunks are scheduled.
    let sums = Mutex([[Double]](repeating: [], count: chunks))
    Parallel.forEach(chunks) { chunk in
        var sum = [Double](repeating: 0, count: width)
        var seed = chunk
        while seed < samples {
            let codes = SeedCodes.codes(seed: UInt32(seed), identityDim: configuration.identityDim, shapeDim: configuration.shapeDim,
                                        noiseDim: configuration.noiseDim, idShapeSampler: idShapeSampler)
            let z = codes.identity + codes.noise
            let (f, p) = radiance(z)
            let w = sr.w(z)
            for i in 0..<half { sum[i] += Double(f[i]); sum[half + i] += Double(p[i]) }
            for i in 0..<w.count { sum[2 * half + i] += Double(w[i]) }
            seed += chunks
        }
        sums.withLock { $0[chunk] = sum }
    }
    let partial = sums.withLock { $0 }
    var total = [Double](repeating: 0, count: width)
    for s in partial { for i in 0..<width { total[i] += s[i] } }
    let mean = total.map { Float($0 / Double(max(samples, 1))) }
    let w = Array(mean[(2 * half)...])
    return OfficialImport.TruncationMeans(frequencies: Array(mean[0..<half]), phaseShifts: Array(mean[half..<(2 * half)]),
                                          w: w, style: sr.style(fromW: w))
}
