import Foundation
import Training

/// The frozen landmark network of `portrait eval` and `portrait train`: read from a file when it exists,
/// otherwise trained on corpus face crops (with a progress bar) and written to that file when one is given.
enum LandmarkNetworkFile {
    /// The network and where it came from (for the run's settings and messages).
    /// - Parameters:
    ///   - path: `--landmarks`: read when the file exists, else written after training.
    ///   - indices: the corpus images to train on.
    ///   - steps: training steps when it is trained here.
    static func readOrTrain(path: String?, corpus: CorpusDataset, indices: [Int], steps: Int) throws
        -> (network: LandmarkNetwork, origin: String) {
        if let path, FileManager.default.fileExists(atPath: path) {
            return (try LandmarkNetwork.load(path: path), "read from \(path)")
        }
        let working = LandmarkNetworkArchitecture.standard.workingSize
        guard corpus.faceSize >= working else {
            throw TrainingError.file(path: corpus.folder.path, reason: "face crops of \(corpus.faceSize)² are smaller than the landmark "
                                     + "network's \(working)² input; make the corpus with --face-size \(working) or more, or give --landmarks FILE")
        }
        var options = LandmarkTrainer.Options()
        options.steps = steps
        FileHandle.standardError.write(Data("training the landmark network on \(indices.count) corpus faces (\(steps) steps)\n".utf8))
        var bar = ProgressBar(total: steps)
        let network = try LandmarkTrainer(options: options).train(corpus, indices: indices) { bar.update(done: $0.step) }
        bar.finish()
        var origin = "trained on \(indices.count) corpus faces, \(steps) steps, seed \(options.seed)"
        if let path {
            try network.save(to: path)
            origin += ", written to \(path)"
        }
        return (network, origin)
    }
}
