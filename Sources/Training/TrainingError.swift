// Module Training (depends on Autodiff, Synth, Generator, Body, Geometry, ModelIO, Numerics): the training
// method of SPEC.md §8 for our generator configurations.
//
// - Generator/: the generator's differentiable forward on an Autodiff tape, built from the inference
//   parameter types (Generator module), held equal to the inference path on the reference weights.
// - Discriminators/, Losses/, Landmarks/: D_whole, D_face, D_torso; adversarial, R1, landmark, imitation,
//   smoothness and minimal-deformation terms; the frozen landmark network.
// - Data/: batches from a corpus folder (the synthetic corpus layout, docs/formats.md).
// - Loop/: phases, stages, checkpoints, resume, metrics, pictures; `portrait train` drives it.

/// Errors of the training module; messages name the file, line or field and both sides of a mismatch.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A run directory was made with other settings than the ones asked for now (resume refused).
    case configurationMismatch(runDirectory: String, field: String, stored: String, requested: String)
    /// A set of named parameters (a file, checkpoint part or dictionary named by `source`) does not fit
    /// the network: a tensor is missing, extra or misshapen, or the file cannot be read or written.
    case parameters(source: String, reason: String)
    /// A corpus image that is missing, unreadable or of the wrong size (the file is named).
    case corpusImage(path: String, reason: String)
    /// An argument is invalid on its own (sizes, counts, shapes); names the operation.
    case invalidArgument(operation: String, reason: String)
    /// A run directory, checkpoint or settings file that cannot be read or written.
    case file(path: String, reason: String)
    /// A loss or gradient became NaN or infinite (the run stops; its last checkpoint is intact).
    case nonFinite(step: Int, phase: String, quantity: String)
    /// A training setting outside its range.
    case invalidSetting(field: String, reason: String)

    public var description: String {
        switch self {
        case let .configurationMismatch(runDirectory, field, stored, requested):
            return "\(runDirectory): this run was started with \(field) = \(stored); it cannot resume with \(field) = \(requested) (use another run directory)"
        case let .parameters(source, reason):
            return "\(source): \(reason)"
        case let .corpusImage(path, reason):
            return "\(path): \(reason)"
        case let .invalidArgument(operation, reason):
            return "\(operation): \(reason)"
        case let .file(path, reason):
            return "\(path): \(reason)"
        case let .nonFinite(step, phase, quantity):
            return "step \(step), phase \(phase): \(quantity) is not finite (the run stopped; its last checkpoint is intact)"
        case let .invalidSetting(field, reason):
            return "training setting \(field): \(reason)"
        }
    }
}
