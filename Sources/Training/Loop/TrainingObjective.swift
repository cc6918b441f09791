import Numerics

/// One micro-batch of a phase: which corpus images it reads and a seed per sample for everything drawn
/// (controls, codes, noise, face-camera angles).
public struct MicroBatch: Sendable, Equatable {
    /// Corpus image indices (real images for the discriminators; labels for drawn controls).
    public var corpusIndices: [Int]
    /// One seed per sample.
    public var sampleSeeds: [UInt64]
    /// The optimiser step this micro-batch belongs to (0-based).
    public var step: Int

    public init(corpusIndices: [Int], sampleSeeds: [UInt64], step: Int) {
        self.corpusIndices = corpusIndices; self.sampleSeeds = sampleSeeds; self.step = step
    }

    public var count: Int { sampleSeeds.count }
}

/// What one phase computed on one micro-batch.
public struct PhaseResult: Sendable {
    /// Metric name → value (unweighted terms and the weighted total), averaged over the micro-batch.
    public var losses: [String: Double]
    /// Gradients of the phase's loss with respect to the parameters it trains, in the order of the state's
    /// generator (for generator phases) or discriminator (for discriminator phases) parameters; nil for a
    /// parameter the phase does not train (frozen, or not reached).
    public var gradients: [Tensor?]

    public init(losses: [String: Double], gradients: [Tensor?]) {
        self.losses = losses; self.gradients = gradients
    }
}

/// What trains a run: which phases run at which step and how each phase's loss and gradients are computed.
/// The trainer owns the data order, micro-batching, optimisers, moving average, checkpoints and metrics;
/// an objective is a pure function of the state and the micro-batch (deterministic: the same inputs give
/// bit-identical results), which makes resume exact.
public protocol TrainingObjective: AnyObject {
    /// The metrics the objective reports (columns of `metrics.csv` after step and clocks), in order.
    var metricNames: [String] { get }
    /// The starting discriminator parameters of a new run (empty when the objective has none).
    func initialDiscriminator() throws -> NamedTensors
    /// Whether `phase` runs in step `step` (0-based).
    func runs(_ phase: TrainingPhase, atStep step: Int) -> Bool
    /// Forward and backward pass of `phase` on `batch` at the current `state`.
    func evaluate(_ phase: TrainingPhase, batch: MicroBatch, state: TrainingState) throws -> PhaseResult
}
