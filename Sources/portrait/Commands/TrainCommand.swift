import ArgumentParser
import Foundation
import Synth
import Training

/// `portrait train`: trains a generator on a corpus in a run directory (resumable), or exports a run as a
/// bundle (`--export RUN_DIR -o model.portrait`). docs/training.md describes the run directory and phases.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a generator on a portrait corpus (resumable), or export a run as a .portrait bundle.",
        discussion: """
            portrait train --data CORPUS -o RUN_DIR [--objective supervised|gan] [--stage 1|2] [--max-steps N] \
            [--minutes M]: starts a run, or resumes the run in RUN_DIR (same settings, else refused). Ctrl-C \
            writes a checkpoint and stops. RUN_DIR holds run.json, checkpoint.safetensors (+ checkpoint.json), \
            metrics.csv, loss_curves.png and samples/. A stage-1 gan run also keeps its frozen landmark network \
            there (landmarks.safetensors): read from --landmarks FILE when that exists, otherwise trained on the \
            corpus's face crops first (--landmark-steps) and written to FILE when given. \
            portrait train --export RUN_DIR -o model.portrait: the run's moving-average generator as a bundle.
            """)

    @Option(help: "Corpus folder (portrait synth layout, docs/formats.md).") var data: String?
    @Option(name: .shortAndLong, help: "Run directory (or, with --export, the bundle to write).") var output: String?
    @Option(help: "Generator configuration.") var config = "studio"
    @Option(help: "1: LR portraits and faces, all but the SR network; 2: only the SR network at HR.") var stage = 1
    @Option(help: "supervised (L2 to the synthetic renderer's images) or gan (the paper's adversarial training).")
    var objective = "gan"
    @Option(help: "Stop when the run has made this many optimiser steps.") var maxSteps: Int?
    @Option(help: "Stop after this many minutes of this sitting.") var minutes: Double?
    @Option(help: "Images per optimiser step (default: 4 in stage 1, 2 in stage 2).") var batch: Int?
    @Option(help: "Micro-batches per step (gradients summed; divides the batch).") var accumulation = 1
    @Option(help: "Seed of the run (data order, drawn controls).") var seed: UInt64 = 0
    @Option(help: "Start a new run from the generator of this run directory (its moving average).") var from: String?
    @Option(help: "Minutes between checkpoints.") var checkpointMinutes = 5.0
    @Option(help: "Steps between loss-curve and sample pictures.") var pictureEvery = 200
    @Option(help: "Export this run directory as a bundle to -o.") var export: String?
    @Option(help: "Landmark network of the landmark loss (safetensors): read when it exists, else trained on the corpus and written there.")
    var landmarks: String?
    @Option(help: "Training steps of the landmark network when it is trained here.") var landmarkSteps = 2000

    func validate() throws {
        guard let output else { throw ValidationError("give -o RUN_DIR (or -o model.portrait with --export)") }
        _ = output
        if export != nil { return }
        guard data != nil else { throw ValidationError("give --data CORPUS (or --export RUN_DIR)") }
        guard config == "studio" else { throw ValidationError("--config: only 'studio' trains") }
        guard stage == 1 || stage == 2 else { throw ValidationError("--stage must be 1 or 2") }
        guard RunSettings.Objective(rawValue: objective) != nil else { throw ValidationError("--objective must be supervised or gan") }
        if let maxSteps, maxSteps < 0 { throw ValidationError("--max-steps must be >= 0") }
        if let minutes, !(minutes > 0) { throw ValidationError("--minutes must be > 0") }
        if let batch, !(1...1024).contains(batch) { throw ValidationError("--batch must be within 1...1024") }
        guard accumulation >= 1 else { throw ValidationError("--accumulation must be >= 1") }
        guard checkpointMinutes > 0 else { throw ValidationError("--checkpoint-minutes must be > 0") }
        guard pictureEvery >= 0 else { throw ValidationError("--picture-every must be >= 0") }
        guard landmarkSteps >= 1 else { throw ValidationError("--landmark-steps must be >= 1") }
    }

    func run() throws {
        guard let output else { return }
        if let export {
            let started = Date()
            let metadata = try TrainedBundle.export(runDirectory: RunDirectory(path: export), to: output)
            let training = metadata.provenance.training
            print(String(format: "%@: %@ after %d steps (%.3f CPU hours; %@) in %.1f s", output, metadata.name, training?.steps ?? 0,
                         training?.cpuHours ?? 0, (training?.stages ?? []).joined(separator: ", "), Date().timeIntervalSince(started)))
            return
        }
        guard let data, let kind = RunSettings.Objective(rawValue: objective) else { return }
        let corpus = try RunCorpus(path: data)
        var settings = RunSettings.defaults(configuration: config, stage: stage, objective: kind, seed: seed, batch: batch,
                                            corpus: corpus.settings)
        settings.accumulation = accumulation
        let directory = RunDirectory(path: output)
        var initial: () throws -> NamedTensors = { try TrainingObjectives.initialGenerator(configuration: settings.configuration) }
        if let from, !directory.holdsRun {
            let source = RunDirectory(path: from)
            let sourceSettings = try RunSettings.read(path: source.settingsPath)
            let sourceState = try TrainingState.read(path: source.checkpointPath, settings: sourceSettings)
            settings.initialisedFrom = from
            settings.history = sourceSettings.history + [.init(description: TrainedBundle.stageDescription(sourceSettings),
                                                               steps: sourceState.counters.step,
                                                               cpuSeconds: sourceState.counters.cpuSeconds)]
            initial = { sourceState.average }
        }
        let network = try landmarkNetwork(for: &settings, in: directory)
        let objectiveImplementation = try TrainingObjectives.make(settings: settings, corpus: corpus, landmarkNetwork: network)
        let trainer = try Trainer.open(directory: directory, settings: settings, objective: objectiveImplementation,
                                       initialGenerator: initial)
        trainer.checkpointInterval = checkpointMinutes * 60
        trainer.pictureInterval = pictureEvery
        trainer.writeSamples = TrainingObjectives.sampleWriter(settings: trainer.settings)
        StopRequest.installSignalHandlers()
        let step0 = trainer.state.counters.step
        print("\(output): \(trainer.resumed ? "resuming at step \(step0)" : "new run") - \(TrainedBundle.stageDescription(trainer.settings)), "
              + "batch \(trainer.settings.batch), corpus \(data) (\(corpus.settings.count) images)")
        fflush(nil)  // seen at once in a log file, not when the sitting ends
        let interactive = isatty(STDERR_FILENO) != 0
        var lastPlain = Date.distantPast
        let outcome = try trainer.run(maxSteps: maxSteps, seconds: minutes.map { $0 * 60 }, shouldStop: { StopRequest.isRequested }) { report in
            if interactive {
                let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 160
                let line = String(report.line.prefix(max(20, width - 1)))
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            } else if Date().timeIntervalSince(lastPlain) >= 10 || report.step == step0 + 1 || report.step == maxSteps {
                lastPlain = Date()
                FileHandle.standardError.write(Data((report.line + "\n").utf8))
            }
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        let c = trainer.state.counters
        print(String(format: "%@: %@ at step %d (%.2f CPU hours, %.2f wall hours in steps); checkpoint written%@", output,
                     outcome.rawValue, c.step, c.cpuSeconds / 3600, c.wallSeconds / 3600,
                     outcome == .reachedMaxSteps ? "" : "; run the same command to resume"))
        if outcome == .interrupted { throw ExitCode(130) }
    }

    /// The frozen landmark network of a run whose settings weigh the landmark loss (nil otherwise): a resumed
    /// run reads its own copy; a new run reads `--landmarks` or trains one on the corpus, keeps a copy in the
    /// run directory and records where it came from in `settings`.
    private func landmarkNetwork(for settings: inout RunSettings, in directory: RunDirectory) throws -> LandmarkNetwork? {
        guard let data, settings.objective == .gan, settings.stage == 1, (settings.lossWeights["landmark"] ?? 0) > 0 else { return nil }
        if try Trainer.storedSettings(directory: directory, resuming: settings) != nil {
            return try LandmarkNetwork.load(path: directory.landmarkNetworkPath)
        }
        let corpus = try CorpusDataset(path: data)
        let (network, origin) = try LandmarkNetworkFile.readOrTrain(path: landmarks, corpus: corpus, indices: Array(0..<corpus.count),
                                                                    steps: landmarkSteps)
        try directory.create()
        try network.save(to: directory.landmarkNetworkPath)
        settings.landmarkNetwork = origin
        return network
    }
}
