import ArgumentParser
import Foundation
import Generator
import Synth
import Training

/// `portrait eval`: how well models follow their controls (issue 10), one column per model.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure how well models follow their controls: expression, head pose, multi-view consistency, realism.",
        discussion: """
            For --samples control states drawn from the corpus label distribution (identity seed i, psi 1) each \
            MODEL renders a face view and two portrait yaws. Expression: the landmark network's landmarks on \
            the face against the face model's landmarks for the commanded codes, mean pixels at the corpus \
            face size (reference column: the same network on held-out corpus crops). Head pose: angle between \
            the commanded head direction and the one whose landmarks fit best. Multi-view: median depth \
            reprojection error between yaws -20 and +20 (body-space units; the camera sits at 1.895) and the \
            share of pixels matched. Realism: Fréchet distance between generated and corpus face crops in the \
            landmark network's feature space (not Inception FID; reference column: corpus half against half). \
            The landmark network is read from --landmarks, or trained on the corpus (all but the held-out \
            images) and written there when the file does not exist.
            """)

    @Argument(help: "Models to measure: .portrait files, names, builtin or synthetic (default: builtin and synthetic).")
    var models: [String] = []

    @Option(name: .customLong("data"), help: "The corpus folder (portrait synth layout).")
    var data: String

    @Option(help: "Landmark network file (safetensors): read when it exists, else trained and written there.")
    var landmarks: String?

    @Option(help: "Control states per model.")
    var samples = 64

    @Option(help: "Corpus images held out from the landmark network's training for the reference column.")
    var heldOut = 256

    @Option(help: "Training steps of the landmark network when it is trained here.")
    var landmarkSteps = 2000

    @Option(help: "Seed of the control states.")
    var seed: UInt64 = 0

    func validate() throws {
        if samples < 2 { throw ValidationError("--samples must be at least 2") }
        if heldOut < 4 { throw ValidationError("--held-out must be at least 4") }
        if landmarkSteps < 1 { throw ValidationError("--landmark-steps must be at least 1") }
    }

    func run() throws {
        let corpus = try CorpusDataset(path: data)
        guard corpus.count > heldOut + 32 else {
            throw TrainingError.file(path: data, reason: "\(corpus.count) images; need more than --held-out (\(heldOut)) + 32 to train and check the landmark network")
        }
        let held = Array((corpus.count - heldOut)..<corpus.count)
        let network = try LandmarkNetworkFile.readOrTrain(path: landmarks, corpus: corpus, indices: Array(0..<(corpus.count - heldOut)),
                                                          steps: landmarkSteps).network
        var options = ModelEvaluation.Options()
        options.samples = samples
        options.seed = seed
        let names = models.isEmpty ? [BuiltinModel.name, BuiltinModel.syntheticName] : models
        var reports: [(String, ModelEvaluation.Report)] = []
        for name in names {
            let evaluation = try ModelEvaluation(model: ModelLocator.load(name), network: network, corpus: corpus, heldOut: held,
                                                 options: options)
            FileHandle.standardError.write(Data("\(name): \(samples) control states\n".utf8))
            var bar = ProgressBar(total: samples)
            let report = try evaluation.run { done, _ in bar.update(done: done) }
            bar.finish()
            reports.append((name, report))
        }
        print(Self.table(reports))
    }

    /// The figures as a Markdown table: one row per metric, one column per model, then the corpus reference.
    static func table(_ reports: [(String, ModelEvaluation.Report)]) -> String {
        guard let first = reports.first?.1 else { return "" }
        func f(_ x: Double, _ digits: Int) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "n/a" }
        var rows: [[String]] = [["metric"] + reports.map(\.0) + ["corpus"]]
        rows.append(["expression: landmark error, px at \(first.faceSize)²"] + reports.map { f($0.1.landmarkError, 2) } + [f(first.corpusLandmarkError, 2)])
        rows.append(["head pose: direction error, degrees (mean)"] + reports.map { f($0.1.headPoseErrorMean, 1) } + ["–"])
        rows.append(["head pose: direction error, degrees (median)"] + reports.map { f($0.1.headPoseErrorMedian, 1) } + ["–"])
        rows.append(["multi-view: depth reprojection, median"] + reports.map { f($0.1.depthErrorMedian, 4) } + ["–"])
        rows.append(["multi-view: foreground pixels matched, %"] + reports.map { f(100 * $0.1.depthMatchedFraction, 1) } + ["–"])
        rows.append(["Fréchet distance, landmark-net features (not FID)"] + reports.map { f($0.1.frechet, 2) } + [f(first.corpusFrechet, 2)])
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { c, s in s.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(rows[0]), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
            + "\n\n\(first.samples) control states per model (identity seed i, psi 1)."
    }
}
