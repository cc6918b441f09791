import Autodiff
import Foundation
import ModelIO
import Numerics

/// Everything a run needs to continue exactly: the generator's parameters and their moving average, the
/// discriminators' parameters, both optimisers' moments and the counters. Saved as `checkpoint.safetensors`.
public struct TrainingState: Sendable {
    /// Generator parameters under their state-dict names (the optimiser's order).
    public var generator: NamedTensors
    /// The generator's exponential moving average (same names), the copy that is sampled and exported.
    public var average: NamedTensors
    /// Discriminator parameters (`d_whole.*`, `d_face.*`, `d_torso.*`; empty for the supervised objective).
    public var discriminator: NamedTensors
    public var generatorOptimiser: Adam
    public var discriminatorOptimiser: Adam
    public var counters: TrainingCounters

    /// A new run's state: the average starts at the parameters, the moments at zero.
    public init(settings: RunSettings, generator: NamedTensors, discriminator: NamedTensors) {
        self.generator = generator
        average = generator
        self.discriminator = discriminator
        let g = settings.generatorOptimiser, d = settings.discriminatorOptimiser
        generatorOptimiser = Adam(parameterShapes: generator.shapes, learningRate: g.learningRate, beta1: g.beta1, beta2: g.beta2)
        discriminatorOptimiser = Adam(parameterShapes: discriminator.shapes, learningRate: d.learningRate, beta1: d.beta1,
                                      beta2: d.beta2)
        counters = TrainingCounters(stage: settings.stage, seed: settings.seed, generatorParameters: generator.count,
                                    discriminatorParameters: discriminator.count)
    }

    init(generator: NamedTensors, average: NamedTensors, discriminator: NamedTensors, generatorOptimiser: Adam,
         discriminatorOptimiser: Adam, counters: TrainingCounters) {
        self.generator = generator; self.average = average; self.discriminator = discriminator
        self.generatorOptimiser = generatorOptimiser; self.discriminatorOptimiser = discriminatorOptimiser
        self.counters = counters
    }

    /// Whether `other` holds bit-identical tensors, moments and deterministic counters (not the clocks).
    public func isBitwiseEqual(to other: TrainingState) -> Bool {
        func moments(_ a: Adam) throws -> NamedTensors {
            try NamedTensors(names: (0..<(2 * a.firstMoments.count)).map { "\($0)" }, tensors: a.firstMoments + a.secondMoments)
        }
        guard let gm = try? moments(generatorOptimiser), let ogm = try? moments(other.generatorOptimiser),
              let dm = try? moments(discriminatorOptimiser), let odm = try? moments(other.discriminatorOptimiser) else { return false }
        return generator.isBitwiseEqual(to: other.generator) && average.isBitwiseEqual(to: other.average)
            && discriminator.isBitwiseEqual(to: other.discriminator) && gm.isBitwiseEqual(to: ogm) && dm.isBitwiseEqual(to: odm)
            && generatorOptimiser.steps == other.generatorOptimiser.steps
            && discriminatorOptimiser.steps == other.discriminatorOptimiser.steps
            && counters.deterministicPart == other.counters.deterministicPart
    }

    // MARK: - Checkpoint files

    /// Metadata key of the counters and names in the safetensors file.
    static let metadataKey = "portrait-checkpoint"

    private struct Header: Codable {
        var format: String
        var counters: TrainingCounters
        var generator: [String]
        var discriminator: [String]
    }

    /// Writes the state to `path` (safetensors, temporary file then rename) and its counters to `jsonPath`
    /// (the same way), in that order: the safetensors file alone is authoritative.
    public func write(to path: String, countersTo jsonPath: String? = nil) throws {
        var counters = self.counters
        counters.generatorAdamSteps = generatorOptimiser.steps
        counters.discriminatorAdamSteps = discriminatorOptimiser.steps
        let header = Header(format: "portrait-checkpoint/1", counters: counters, generator: generator.names,
                            discriminator: discriminator.names)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let headerText = String(decoding: try encoder.encode(header), as: UTF8.self)
        var writer = SafetensorsWriter(metadata: [Self.metadataKey: headerText])
        for (name, tensor) in zip(generator.names, generator.tensors) { try writer.add("generator/" + name, tensor) }
        for (name, tensor) in zip(average.names, average.tensors) { try writer.add("average/" + name, tensor) }
        for (name, tensor) in zip(discriminator.names, discriminator.tensors) { try writer.add("discriminator/" + name, tensor) }
        for (name, m, v) in zip3(generator.names, generatorOptimiser.firstMoments, generatorOptimiser.secondMoments) {
            try writer.add("adam.generator.m/" + name, m)
            try writer.add("adam.generator.v/" + name, v)
        }
        for (name, m, v) in zip3(discriminator.names, discriminatorOptimiser.firstMoments, discriminatorOptimiser.secondMoments) {
            try writer.add("adam.discriminator.m/" + name, m)
            try writer.add("adam.discriminator.v/" + name, v)
        }
        let bytes = try writer.encoded()
        do { try AtomicFile.write(bytes, to: path) } catch {
            throw TrainingError.file(path: path, reason: "cannot write the checkpoint: \(error)")
        }
        if let jsonPath {
            let pretty = JSONEncoder()
            pretty.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let json = try pretty.encode(counters)
            do { try AtomicFile.write(json, to: jsonPath) } catch {
                throw TrainingError.file(path: jsonPath, reason: "cannot write: \(error)")
            }
        }
    }

    /// Reads a checkpoint written by `write(to:)`, with the optimisers' settings of `settings`.
    public static func read(path: String, settings: RunSettings) throws -> TrainingState {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: path) } catch {
            throw TrainingError.file(path: path, reason: "not a readable checkpoint: \(ModelIOError.reason(error, about: path))")
        }
        guard let text = file.metadata[metadataKey] else {
            throw TrainingError.file(path: path, reason: "no '\(metadataKey)' metadata (not a training checkpoint)")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(text.utf8)) } catch {
            throw TrainingError.file(path: path, reason: "unreadable checkpoint header: \(error)")
        }
        func load(_ prefix: String, _ names: [String]) throws -> NamedTensors {
            try NamedTensors(names: names, tensors: names.map { name in
                guard file.contains(prefix + name) else { throw TrainingError.file(path: path, reason: "tensor '\(prefix + name)' is missing") }
                return try file.tensor(prefix + name)
            })
        }
        let generator = try load("generator/", header.generator)
        let discriminator = try load("discriminator/", header.discriminator)
        let c = header.counters
        guard c.generatorAdamSteps.count == generator.count, c.discriminatorAdamSteps.count == discriminator.count else {
            throw TrainingError.file(path: path, reason: "optimiser step counts do not match the parameter lists")
        }
        let g = settings.generatorOptimiser, d = settings.discriminatorOptimiser
        do {
            let gOptimiser = try Adam(learningRate: g.learningRate, beta1: g.beta1, beta2: g.beta2, epsilon: 1e-8,
                                      firstMoments: load("adam.generator.m/", header.generator).tensors,
                                      secondMoments: load("adam.generator.v/", header.generator).tensors,
                                      steps: c.generatorAdamSteps)
            let dOptimiser = try Adam(learningRate: d.learningRate, beta1: d.beta1, beta2: d.beta2, epsilon: 1e-8,
                                      firstMoments: load("adam.discriminator.m/", header.discriminator).tensors,
                                      secondMoments: load("adam.discriminator.v/", header.discriminator).tensors,
                                      steps: c.discriminatorAdamSteps)
            return TrainingState(generator: generator, average: try load("average/", header.generator), discriminator: discriminator,
                                 generatorOptimiser: gOptimiser, discriminatorOptimiser: dOptimiser, counters: c)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.file(path: path, reason: "inconsistent optimiser state: \(error)")
        }
    }
}

private func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    (0..<min(a.count, b.count, c.count)).map { (a[$0], b[$0], c[$0]) }
}
