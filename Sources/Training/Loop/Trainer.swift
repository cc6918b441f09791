import Autodiff
import Foundation
import ModelIO
import Numerics

/// The training loop over a run directory: phases, micro-batch accumulation, optimisers, the moving average,
/// metrics, pictures and checkpoints. Open it with `open(...)` (a new run, or a resume of the same settings),
/// then `run(...)`.
///
/// Determinism: a step depends only on the state (parameters, moments, counters) and the settings, so a
/// run stopped and resumed from its checkpoint continues bit for bit as if it had never stopped.
public final class Trainer {
    public let directory: RunDirectory
    public let settings: RunSettings
    public let objective: TrainingObjective
    public private(set) var state: TrainingState
    /// Number of corpus images the data order walks over.
    public let corpusCount: Int
    /// Wall seconds between checkpoints while running.
    public var checkpointInterval: Double = 300
    /// Steps between loss-curve and sample pictures; at the end of `run` both are written too (0: only the
    /// loss curves, at the end).
    public var pictureInterval: Int = 200
    /// Writes the sample grid of the current state (nil: no samples, e.g. in tests of the loop).
    public var writeSamples: ((TrainingState, String) throws -> Void)?
    /// Whether this trainer resumed a checkpoint (else it started a new run).
    public let resumed: Bool

    private let metrics: MetricsLog
    private var permutation: [Int] = []
    private var permutationEpoch = -1

    /// Why `run` returned.
    public enum Outcome: String, Sendable {
        case reachedMaxSteps = "reached the step limit"
        case timeUp = "time is up"
        case interrupted = "interrupted"
    }

    /// What the progress display shows after a step.
    public struct Report: Sendable {
        public var step: Int
        public var maxSteps: Int?
        /// Steps per second (wall) in this sitting.
        public var stepsPerSecond: Double
        /// CPU seconds per step in this sitting.
        public var cpuSecondsPerStep: Double
        /// Estimated wall seconds until the step limit or the time limit, whichever comes first.
        public var remainingSeconds: Double?
        /// The step's metrics, in the objective's order.
        public var metrics: [(name: String, value: Double)]

        /// `step 120/1000  0.84 it/s  1.9 cpu-s/it  ETA 17:28  image_l2 0.0123 ...`
        public var line: String {
            var parts = ["step \(step)" + (maxSteps.map { "/\($0)" } ?? "")]
            parts.append(String(format: "%.2f it/s", stepsPerSecond))
            parts.append(String(format: "%.2f cpu-s/it", cpuSecondsPerStep))
            if let remainingSeconds, remainingSeconds.isFinite {
                let s = Int(remainingSeconds.rounded())
                parts.append(String(format: "ETA %d:%02d:%02d", s / 3600, s / 60 % 60, s % 60))
            }
            for (name, value) in metrics { parts.append("\(name) " + String(format: "%.4g", value)) }
            return parts.joined(separator: "  ")
        }
    }

    /// Opens `directory`: resumes its run when it holds one (refusing other settings with
    /// `TrainingError.configurationMismatch`), else starts a new run from `initialGenerator()` and writes
    /// `run.json` and a first checkpoint.
    public static func open(directory: RunDirectory, settings requested: RunSettings, objective: TrainingObjective,
                            initialGenerator: () throws -> NamedTensors) throws -> Trainer {
        try requested.validate()
        if let stored = try storedSettings(directory: directory, resuming: requested) {
            guard FileManager.default.fileExists(atPath: directory.checkpointPath) else {
                throw TrainingError.file(path: directory.checkpointPath, reason: "missing: the run cannot resume (its run.json is there)")
            }
            let state = try TrainingState.read(path: directory.checkpointPath, settings: stored)
            return try Trainer(directory: directory, settings: stored, objective: objective, state: state, resumed: true)
        }
        try directory.create()
        let state = TrainingState(settings: requested, generator: try initialGenerator(),
                                  discriminator: try objective.initialDiscriminator())
        do { try AtomicFile.write(try requested.jsonData(), to: directory.settingsPath) } catch {
            throw TrainingError.file(path: directory.settingsPath, reason: "cannot write: \(error)")
        }
        let trainer = try Trainer(directory: directory, settings: requested, objective: objective, state: state, resumed: false)
        try trainer.saveCheckpoint()
        return trainer
    }

    /// The settings of the run in `directory` when it can resume with `requested` (nil: no run there yet);
    /// throws `configurationMismatch` naming the first setting that differs.
    public static func storedSettings(directory: RunDirectory, resuming requested: RunSettings) throws -> RunSettings? {
        guard directory.holdsRun else { return nil }
        let stored = try RunSettings.read(path: directory.settingsPath)
        if let m = stored.firstMismatch(resuming: requested) {
            throw TrainingError.configurationMismatch(runDirectory: directory.path, field: m.field, stored: m.stored, requested: m.requested)
        }
        return stored
    }

    private init(directory: RunDirectory, settings: RunSettings, objective: TrainingObjective, state: TrainingState,
                 resumed: Bool) throws {
        self.directory = directory
        self.settings = settings
        self.objective = objective
        self.state = state
        self.resumed = resumed
        corpusCount = max(1, settings.corpus.count)
        metrics = try MetricsLog(path: directory.metricsPath, metricNames: objective.metricNames, keepingThrough: state.counters.step)
    }

    /// Writes `checkpoint.safetensors` and `checkpoint.json` (each atomically).
    public func saveCheckpoint() throws {
        try state.write(to: directory.checkpointPath, countersTo: directory.countersPath)
    }

    /// Runs steps until the run's step count reaches `maxSteps`, `seconds` of wall time have passed in this
    /// call, or `shouldStop()` says so (checked between steps: SIGINT). Checkpoints every
    /// `checkpointInterval` seconds and before returning; pictures every `pictureInterval` steps and before
    /// returning (see `pictureInterval`). `report` is called after every step.
    public func run(maxSteps: Int?, seconds: Double?, shouldStop: () -> Bool = { false },
                    report: (Report) -> Void = { _ in }) throws -> Outcome {
        let startWall = ProcessClock.wallSeconds(), startCPU = ProcessClock.cpuSeconds(), startStep = state.counters.step
        var lastCheckpoint = startWall
        var outcome = Outcome.reachedMaxSteps
        while true {
            if let maxSteps, state.counters.step >= maxSteps { outcome = .reachedMaxSteps; break }
            if let seconds, ProcessClock.wallSeconds() - startWall >= seconds { outcome = .timeUp; break }
            if shouldStop() { outcome = .interrupted; break }
            let wall0 = ProcessClock.wallSeconds(), cpu0 = ProcessClock.cpuSeconds()
            let values = try step()
            let now = ProcessClock.wallSeconds()
            state.counters.wallSeconds += now - wall0
            state.counters.cpuSeconds += ProcessClock.cpuSeconds() - cpu0
            try metrics.append(step: state.counters.step, wallSeconds: state.counters.wallSeconds,
                               cpuSeconds: state.counters.cpuSeconds, metrics: values)
            let done = Double(state.counters.step - startStep), elapsed = now - startWall
            let rate = done / max(elapsed, 1e-9)
            var remaining: Double?
            if let maxSteps { remaining = Double(maxSteps - state.counters.step) / rate }
            if let seconds { remaining = min(remaining ?? .infinity, max(0, seconds - elapsed)) }
            report(Report(step: state.counters.step, maxSteps: maxSteps, stepsPerSecond: rate,
                          cpuSecondsPerStep: (ProcessClock.cpuSeconds() - startCPU) / max(done, 1),
                          remainingSeconds: remaining,
                          metrics: objective.metricNames.compactMap { n in values[n].map { (n, $0) } }))
            if pictureInterval > 0, state.counters.step % pictureInterval == 0 { try writePictures() }
            if now - lastCheckpoint >= checkpointInterval {
                try saveCheckpoint()
                lastCheckpoint = ProcessClock.wallSeconds()
            }
        }
        try saveCheckpoint()
        if state.counters.step > startStep { try writePictures(samples: pictureInterval > 0) }
        return outcome
    }

    /// The loss curves (from `metrics.csv`) and, when `samples` and `writeSamples` is set, the sample grid of
    /// this step.
    public func writePictures(samples: Bool = true) throws {
        try LossCurvePlot.write(metricsPath: directory.metricsPath, to: directory.lossCurvesPath,
                                title: "\(settings.objective.rawValue) stage \(settings.stage)")
        if samples, let writeSamples { try writeSamples(state, directory.samplesPath(step: state.counters.step)) }
    }

    /// One optimiser step: every phase the objective runs at this step, each over `accumulation`
    /// micro-batches. Returns the step's metrics.
    @discardableResult
    public func step() throws -> [String: Double] {
        let step = state.counters.step
        let microSize = settings.batch / settings.accumulation
        var values: [String: Double] = [:]
        for phase in TrainingPhase.allCases where objective.runs(phase, atStep: step) {
            var sum: [Tensor?] = []
            for micro in 0..<settings.accumulation {
                let batch = nextMicroBatch(size: microSize, step: step)
                let result = try objective.evaluate(phase, batch: batch, state: state)
                if micro == 0 {
                    sum = result.gradients
                } else {
                    guard result.gradients.count == sum.count else {
                        throw TrainingError.invalidSetting(field: phase.rawValue, reason: "gradient lists of different lengths")
                    }
                    for i in sum.indices {
                        guard let g = result.gradients[i] else { continue }
                        if sum[i] == nil { sum[i] = g } else { try sum[i]?.add(g) }
                    }
                }
                for (name, value) in result.losses {
                    guard value.isFinite else { throw TrainingError.nonFinite(step: step, phase: phase.rawValue, quantity: name) }
                    values[name, default: 0] += value / Double(settings.accumulation)
                }
            }
            if settings.accumulation > 1 { sum = sum.map { $0?.scaled(by: 1 / Float(settings.accumulation)) } }
            for (i, g) in sum.enumerated() where g?.scalars.contains(where: { !$0.isFinite }) == true {
                let names = phase.updatesGenerator ? state.generator.names : state.discriminator.names
                throw TrainingError.nonFinite(step: step, phase: phase.rawValue, quantity: "the gradient of \(names[i])")
            }
            try Self.apply(sum, phase: phase, to: &state)
            if phase == .generatorMain { try updateAverage() }
            state.counters.phases[phase.rawValue, default: 0] += 1
        }
        state.counters.step += 1
        return values
    }

    /// One optimiser update of the parameters `phase` trains (distinct stored properties of one `inout`
    /// state: no copy of the parameters or moments).
    private static func apply(_ gradients: [Tensor?], phase: TrainingPhase, to state: inout TrainingState) throws {
        if phase.updatesGenerator {
            try state.generatorOptimiser.update(&state.generator.tensors, gradients: gradients)
        } else {
            try state.discriminatorOptimiser.update(&state.discriminator.tensors, gradients: gradients)
        }
    }

    /// The moving average with a warm-up (StyleGAN's ramp): decay `min(ema_decay, (1 + n)/(10 + n))` after
    /// `n` generator updates, so early samples are not stuck at the initial weights.
    private func updateAverage() throws {
        let n = Float(state.counters.phases[TrainingPhase.generatorMain.rawValue] ?? 0)
        let decay = min(settings.emaDecay, (1 + n) / (10 + n))
        var average = try ExponentialMovingAverage(decay: decay, averages: state.average.tensors)
        state.average.tensors = []                         // keeps the average's storage uniquely referenced
        try average.update(with: state.generator.tensors)
        state.average.tensors = average.averages
    }

    /// The next micro-batch: corpus indices in a per-pass permutation (seeded by the run seed and the pass),
    /// and a seed per sample from the run's sample stream.
    private func nextMicroBatch(size: Int, step: Int) -> MicroBatch {
        var indices: [Int] = []
        var seeds: [UInt64] = []
        var random = SplitMix64(seed: state.counters.random["samples"] ?? settings.seed)
        for _ in 0..<size {
            if state.counters.position >= corpusCount {
                state.counters.epoch += 1
                state.counters.position = 0
            }
            if permutationEpoch != state.counters.epoch { makePermutation(epoch: state.counters.epoch) }
            indices.append(permutation[state.counters.position])
            state.counters.position += 1
            seeds.append(random.next())
        }
        state.counters.random["samples"] = random.state
        return MicroBatch(corpusIndices: indices, sampleSeeds: seeds, step: step)
    }

    private func makePermutation(epoch: Int) {
        var random = SplitMix64(seed: settings.seed ^ (0x4441_5441_0000_0000 &+ UInt64(epoch)))
        permutation = Array(0..<corpusCount)
        for i in stride(from: corpusCount - 1, to: 0, by: -1) { permutation.swapAt(i, random.below(i + 1)) }
        permutationEpoch = epoch
    }
}
