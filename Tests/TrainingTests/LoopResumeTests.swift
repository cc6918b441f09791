import Foundation
import ModelIO
import PortraitTestSupport
import Testing
@testable import Training

@Suite struct LoopResumeTests {
    static func settings(batch: Int = 4, accumulation: Int = 2, seed: UInt64 = 7) -> RunSettings {
        var s = RunSettings.defaults(configuration: "studio", stage: 1, objective: .gan, seed: seed, batch: batch,
                                     corpus: .init(path: "/nowhere", seed: 3, count: 10, size: 64, faceSize: 32))
        s.accumulation = accumulation
        return s
    }

    static func open(_ path: String, _ settings: RunSettings = settings()) throws -> Trainer {
        let trainer = try Trainer.open(directory: RunDirectory(path: path), settings: settings, objective: LoopToyObjective(),
                                       initialGenerator: LoopToyObjective.initialGenerator)
        trainer.pictureInterval = 0
        return trainer
    }

    @Test func resumedRunMatchesAStraightRunBitForBit() throws {
        let root = try PortraitProcess.temporaryDirectory(prefix: "loop-resume")
        let straight = try Self.open(root + "/straight")
        #expect(try straight.run(maxSteps: 12, seconds: nil) == .reachedMaxSteps)

        let first = try Self.open(root + "/split")
        #expect(try first.run(maxSteps: 6, seconds: nil) == .reachedMaxSteps)
        let second = try Self.open(root + "/split")
        #expect(second.resumed)
        #expect(second.state.counters.step == 6)
        #expect(try second.run(maxSteps: 12, seconds: nil) == .reachedMaxSteps)

        #expect(second.state.isBitwiseEqual(to: straight.state))
        #expect(second.state.counters.step == 12)
        #expect(second.state.counters.phases["g_reg"] == 6 && second.state.counters.phases["d_reg"] == 4)
        // 12 steps x (g_main + d_main) + 6 g_reg + 4 d_reg phases, 4 images each, over 10 images.
        #expect(second.state.counters.epoch == 13 && second.state.counters.position == 6)
        // The checkpoint on disk holds the same state, and the metrics agree row for row (but the clocks).
        let reread = try TrainingState.read(path: root + "/split/checkpoint.safetensors", settings: Self.settings())
        #expect(reread.isBitwiseEqual(to: straight.state))
        func losses(_ run: String) throws -> [String] {
            try String(contentsOfFile: root + "/\(run)/metrics.csv", encoding: .utf8).split(separator: "\n").map { line in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                return ([cells[0]] + cells.dropFirst(3)).joined(separator: ",")
            }
        }
        #expect(try losses("split") == losses("straight"))
        #expect(try losses("straight").count == 13)
        // Training moved the parameters.
        let initial = try LoopToyObjective.initialGenerator()
        #expect(!straight.state.generator.isBitwiseEqual(to: initial))
        #expect(!straight.state.average.isBitwiseEqual(to: straight.state.generator))
    }

    @Test func stoppingWritesACheckpointAtTheStepReached() throws {
        let root = try PortraitProcess.temporaryDirectory(prefix: "loop-stop")
        let trainer = try Self.open(root + "/run")
        var reports = 0
        let outcome = try trainer.run(maxSteps: 100, seconds: nil, shouldStop: { reports >= 3 }, report: { _ in reports += 1 })
        #expect(outcome == .interrupted)
        let reread = try TrainingState.read(path: root + "/run/checkpoint.safetensors", settings: Self.settings())
        #expect(reread.counters.step == 3)
        #expect(reread.isBitwiseEqual(to: trainer.state))
        let counters = try JSONDecoder().decode(TrainingCounters.self, from: Data(contentsOf: URL(fileURLWithPath: root + "/run/checkpoint.json")))
        #expect(counters.step == 3)
    }

    @Test func resumingWithOtherSettingsIsRefused() throws {
        let root = try PortraitProcess.temporaryDirectory(prefix: "loop-refuse")
        _ = try Self.open(root + "/run").run(maxSteps: 2, seconds: nil)
        #expect(throws: TrainingError.configurationMismatch(runDirectory: root + "/run", field: "batch", stored: "4", requested: "8")) {
            _ = try Self.open(root + "/run", Self.settings(batch: 8))
        }
        #expect(throws: TrainingError.configurationMismatch(runDirectory: root + "/run", field: "seed", stored: "7", requested: "8")) {
            _ = try Self.open(root + "/run", Self.settings(seed: 8))
        }
        var stage2 = Self.settings()
        stage2.stage = 2
        #expect(throws: TrainingError.configurationMismatch(runDirectory: root + "/run", field: "stage", stored: "1", requested: "2")) {
            _ = try Self.open(root + "/run", stage2)
        }
    }

    @Test func metricsAndLossCurvesAreWritten() throws {
        let root = try PortraitProcess.temporaryDirectory(prefix: "loop-metrics")
        let trainer = try Self.open(root + "/run")
        trainer.pictureInterval = 5
        _ = try trainer.run(maxSteps: 20, seconds: nil)
        let (columns, series) = try MetricsLog.read(path: root + "/run/metrics.csv")
        #expect(columns == ["g_loss", "g_reg", "d_loss", "d_reg"])
        #expect(series["g_loss"]?.count == 20 && series["g_reg"]?.count == 10 && series["d_reg"]?.count == 7)
        let plot = try PNGCodec.read(path: root + "/run/loss_curves.png")
        #expect(plot.width == 960 && plot.height == 540)
        // Every metric's colour appears in the plot (its line or legend swatch).
        for colour in LossCurvePlot.palette.prefix(4) {
            let found = stride(from: 0, to: plot.pixels.count, by: 3).contains {
                plot.pixels[$0] == colour.0 && plot.pixels[$0 + 1] == colour.1 && plot.pixels[$0 + 2] == colour.2
            }
            #expect(found)
        }
    }

    @Test func lossCurveTicksAreDecadesOnALogAxisAndRoundNumbersOnALinearOne() {
        #expect(LossCurvePlot.ticks(low: -3.2, high: 0.5, logarithmic: true).map(\.label) == ["1E-3", "1E-2", "1E-1", "1E0"])
        #expect(LossCurvePlot.ticks(low: 0, high: 1, logarithmic: false).map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }
}
