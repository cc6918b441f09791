import Foundation

/// The scalar part of a checkpoint (stored as JSON in the checkpoint's metadata and beside it as
/// `checkpoint.json`): where the run stands. Everything here except the clocks decides the next steps.
public struct TrainingCounters: Codable, Sendable, Equatable {
    /// Completed optimiser steps.
    public var step: Int
    public var stage: Int
    /// How often each phase has run: `g_main`, `g_reg`, `d_main`, `d_reg`.
    public var phases: [String: Int]
    /// Data order: the pass over the corpus and the position in that pass's permutation.
    public var epoch: Int
    public var position: Int
    /// Random generator states by purpose (SplitMix64 states).
    public var random: [String: UInt64]
    /// Adam's per-parameter update counts, generator and discriminator.
    public var generatorAdamSteps: [Int]
    public var discriminatorAdamSteps: [Int]
    /// CPU seconds (user + system, all threads) and wall seconds spent in steps so far.
    public var cpuSeconds: Double
    public var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case step, stage, phases, epoch, position, random
        case generatorAdamSteps = "generator_adam_steps", discriminatorAdamSteps = "discriminator_adam_steps"
        case cpuSeconds = "cpu_seconds", wallSeconds = "wall_seconds"
    }

    /// A new run's counters.
    public init(stage: Int, seed: UInt64, generatorParameters: Int, discriminatorParameters: Int) {
        step = 0
        self.stage = stage
        phases = Dictionary(uniqueKeysWithValues: TrainingPhase.allCases.map { ($0.rawValue, 0) })
        epoch = 0
        position = 0
        random = ["samples": seed ^ 0x5341_4D50_4C45_5300]
        generatorAdamSteps = Array(repeating: 0, count: generatorParameters)
        discriminatorAdamSteps = Array(repeating: 0, count: discriminatorParameters)
        cpuSeconds = 0
        wallSeconds = 0
    }

    /// The counters without the clocks and the optimiser step copies (the optimisers hold the live ones):
    /// what must match after an exact resume.
    public var deterministicPart: TrainingCounters {
        var copy = self
        copy.cpuSeconds = 0
        copy.wallSeconds = 0
        copy.generatorAdamSteps = []
        copy.discriminatorAdamSteps = []
        return copy
    }
}
