import ArgumentParser
import Foundation
import ModelIO

/// `portrait import`: the official release (or explicit files) to a `.portrait` bundle.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import an official AniPortraitGAN release (or explicit files) into a .portrait bundle.",
        discussion: """
            Either give the release folder (ckpts/*.pt, smpl_models/valid_smpl_knn_index.npy, sampler_npy/), or \
            the files: --checkpoint and --knn-index, plus --smpl when the checkpoint has no body buffers. The \
            configuration comes from --config, else a config.json beside the checkpoint or in the --means \
            folder, else the official SSHQ512_inf values (checked against the checkpoint's tensors).
            """)

    @Argument(help: "An official release folder.") var folder: String?
    @Option(help: "The generator checkpoint (torch.save zip).") var checkpoint: String?
    @Option(name: .customLong("knn-index"), help: "valid_smpl_knn_index.npy.") var knnIndex: String?
    @Option(help: "Body model (.pkl, .pkl.gz or .npz) for checkpoints without renderer.smpl_model.*.") var smpl: String?
    @Option(help: "Folder with avg_frequencies.npy, avg_phase_shifts.npy, (sr_)avg_w.npy, (sr_)avg_style.npy.") var means: String?
    @Option(help: "Folder with the sampler .npy files.") var samplers: String?
    @Option(help: "Configuration JSON (reference config.json or generator kwargs).") var config: String?
    @Option(help: "The model's name (default: the checkpoint's file name).") var name: String?
    @Option(name: .shortAndLong, help: "Output bundle (default: <name>.portrait in $XDG_DATA_HOME/portrait-studio/models/).")
    var output: String?

    func validate() throws {
        if folder == nil && (checkpoint == nil || knnIndex == nil) {
            throw ValidationError("give a release folder, or --checkpoint and --knn-index")
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
        let writer = try OfficialImport.assemble(sources)
        let destination: String
        if let output {
            destination = output
        } else {
            try FileManager.default.createDirectory(atPath: ModelLocator.modelsDirectory, withIntermediateDirectories: true)
            destination = ModelLocator.modelsDirectory + "/" + writer.metadata.name + ".portrait"
        }
        let metadata = try writer.write(to: destination)
        print("imported \(metadata.name) -> \(destination)")
    }
}
