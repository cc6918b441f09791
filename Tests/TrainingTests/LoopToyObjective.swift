import Numerics
@testable import Training

/// A tiny deterministic objective for the loop's own tests: the generator is a linear map `w·x + b` fitted to
/// a fixed line on inputs drawn from the sample seeds, and the discriminator a scalar pulled towards the
/// corpus indices' mean; every phase runs on its own interval so all four counters move.
final class LoopToyObjective: TrainingObjective {
    var metricNames: [String] { ["g_loss", "g_reg", "d_loss", "d_reg"] }

    static func initialGenerator() throws -> NamedTensors {
        try NamedTensors(names: ["toy.bias", "toy.weight"], tensors: [Tensor(shape: [1], scalars: [0.5]), Tensor(shape: [2, 2], scalars: [0.1, -0.2, 0.3, 0.4])])
    }

    func initialDiscriminator() throws -> NamedTensors {
        try NamedTensors(names: ["d.value"], tensors: [Tensor(shape: [1], scalars: [0])])
    }

    func runs(_ phase: TrainingPhase, atStep step: Int) -> Bool {
        switch phase {
        case .generatorMain, .discriminatorMain: return true
        case .generatorRegularisation: return step % 2 == 0
        case .discriminatorRegularisation: return step % 3 == 0
        }
    }

    func evaluate(_ phase: TrainingPhase, batch: MicroBatch, state: TrainingState) throws -> PhaseResult {
        switch phase {
        case .generatorMain, .generatorRegularisation:
            let w = state.generator.tensors[1].scalars, b = state.generator.tensors[0].scalars[0]
            var gw = [Float](repeating: 0, count: 4), gb: Float = 0, loss: Float = 0
            for seed in batch.sampleSeeds {
                let x0 = Float(seed % 1000) / 1000 - 0.5, x1 = Float((seed >> 20) % 1000) / 1000 - 0.5
                let target: [Float] = [2 * x0 - x1 + 0.3, x0 + 0.5 * x1 - 0.1]
                for r in 0..<2 {
                    let y = w[2 * r] * x0 + w[2 * r + 1] * x1 + b
                    let e = y - target[r]
                    loss += e * e
                    gw[2 * r] += 2 * e * x0; gw[2 * r + 1] += 2 * e * x1; gb += 2 * e
                }
            }
            let n = Float(batch.count)
            let scale: Float = phase == .generatorMain ? 1 : 0.1
            return PhaseResult(losses: [phase == .generatorMain ? "g_loss" : "g_reg": Double(loss / n)],
                               gradients: [try Tensor(shape: [1], scalars: [scale * gb / n]),
                                           try Tensor(shape: [2, 2], scalars: gw.map { scale * $0 / n })])
        case .discriminatorMain, .discriminatorRegularisation:
            let v = state.discriminator.tensors[0].scalars[0]
            let mean = Float(batch.corpusIndices.reduce(0, +)) / Float(batch.count)
            let e = v - mean / 10
            return PhaseResult(losses: [phase == .discriminatorMain ? "d_loss" : "d_reg": Double(e * e)],
                               gradients: [try Tensor(shape: [1], scalars: [2 * e])])
        }
    }
}
