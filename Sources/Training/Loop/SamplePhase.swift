import Numerics

/// The per-sample work of a generator phase spread over the cores (`Parallel.map`: each sample on its own
/// tape), combined in sample order, so the result equals a serial loop's bit for bit: metrics averaged (each
/// sample's value times its share of the micro-batch), gradients summed.
enum SamplePhase {
    /// - Parameters:
    ///   - parameterCount: the generator parameters (slots of the gradients).
    ///   - sample: one sample seed's unweighted metrics and gradients (nil: the sample added no weighted term).
    static func run(_ batch: MicroBatch, parameterCount: Int,
                    _ sample: (_ seed: UInt64) throws -> (metrics: [String: Double], gradients: [Tensor?]?)) throws -> PhaseResult {
        let results = try Parallel.map(batch.count) { try sample(batch.sampleSeeds[$0]) }
        let share = 1 / Double(batch.count)
        var sums = GradientSums(count: parameterCount)
        var metrics: [String: Double] = [:]
        for result in results {
            for (name, value) in result.metrics { metrics[name, default: 0] += value * share }
            if let gradients = result.gradients { try sums.add(gradients) }
        }
        return PhaseResult(losses: metrics, gradients: sums.sums)
    }
}
