import Foundation

/// The files of a run directory (docs/training.md):
/// `run.json` (settings), `checkpoint.safetensors` (+ `checkpoint.json`, its counters), `metrics.csv`,
/// `loss_curves.png`, `samples/step-NNNNNNN.png`, and for a run with the landmark loss its frozen landmark
/// network `landmarks.safetensors`.
public struct RunDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public var settingsPath: String { file("run.json") }
    public var checkpointPath: String { file("checkpoint.safetensors") }
    public var countersPath: String { file("checkpoint.json") }
    public var metricsPath: String { file("metrics.csv") }
    public var lossCurvesPath: String { file("loss_curves.png") }
    public var samplesDirectory: String { file("samples") }
    public var landmarkNetworkPath: String { file("landmarks.safetensors") }
    /// The sample grid of step `step`.
    public func samplesPath(step: Int) -> String {
        (samplesDirectory as NSString).appendingPathComponent(String(format: "step-%07d.png", step))
    }

    /// Whether the directory holds a run (its `run.json`).
    public var holdsRun: Bool { FileManager.default.fileExists(atPath: settingsPath) }

    /// Creates the directory (and `samples/`) if needed; errors name the path.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: samplesDirectory, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.file(path: path, reason: "cannot create the run directory: \(error.localizedDescription)")
        }
    }
}
