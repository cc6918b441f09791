import Autodiff
import Generator
import ModelIO
import Numerics

/// Every generator tensor of a configuration as one ordered list of trainable parameters, bound by
/// state-dict name (SPEC §3.2 keys), with a trainable / frozen flag per sub-network.
///
/// Built from an inference state dict (`BuiltinBundle.initialWeights`, a bundle's `Weights.tensors`) and
/// written back with `stateDict()`, so that a bundle can be made and an EMA applied (`tensors` is the list an
/// `Adam` or `ExponentialMovingAverage` keeps, in `names` order). The smoother alias
/// `renderer.smooth_layer.*` is not a parameter: `stateDict()` writes it as a copy of `smoother.*`.
///
/// Per training step: `bind(to:)` a fresh tape (trainable groups become variables, frozen ones constants),
/// run `DifferentiableGenerator`, `backward`, then `gradients(on:)` gives one gradient per parameter (nil for
/// frozen groups and unused tensors), ready for `Adam.update(&parameters.tensors, gradients:)`.
public struct TrainableGeneratorParameters: Sendable {
    public let configuration: GeneratorConfiguration
    /// State-dict names, in the configuration's state-dict order (aliases excluded).
    public let names: [String]
    /// The values, one per name (shapes as `GeneratorConfiguration.generatorTensors()`).
    public var tensors: [Tensor]
    /// The sub-network of each name.
    public let groups: [GeneratorParameterGroup]
    /// The groups that get gradients (the others are bound as constants).
    public var trainableGroups: Set<GeneratorParameterGroup>

    /// Prefix of the smoother alias written back by `stateDict()`.
    public static let smootherAliasPrefix = "renderer.smooth_layer."

    /// Takes the tensors of `stateDict` that `configuration` expects (every one must be present with its
    /// shape; extra entries such as the body or the samplers are ignored). All groups start trainable.
    public init(stateDict: [String: Tensor], configuration: GeneratorConfiguration,
                trainableGroups: Set<GeneratorParameterGroup> = Set(GeneratorParameterGroup.allCases)) throws {
        if let problem = configuration.problem() { throw GeneratorError.configuration(problem) }
        var names: [String] = [], tensors: [Tensor] = [], groups: [GeneratorParameterGroup] = []
        for expected in configuration.generatorTensors() where !expected.name.hasPrefix(Self.smootherAliasPrefix) {
            guard let group = GeneratorParameterGroup.group(of: expected.name) else { continue }
            let shape = expected.shape.map { d -> Int in if case let .exactly(n) = d { return n } else { return -1 } }
            guard let tensor = stateDict[expected.name] else {
                throw GeneratorError.missingTensor(name: expected.name, source: "trainable parameters")
            }
            guard tensor.shape == shape else {
                throw GeneratorError.tensorShape(name: expected.name, got: tensor.shape, expected: shape, source: "trainable parameters")
            }
            names.append(expected.name)
            tensors.append(tensor)
            groups.append(group)
        }
        self.configuration = configuration
        self.names = names
        self.tensors = tensors
        self.groups = groups
        self.trainableGroups = trainableGroups
    }

    /// The position of `name` in `names`.
    public func index(of name: String) -> Int? { indexByName[name] }

    private var indexByName: [String: Int] {
        Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// Indices of the parameters of `group`.
    public func indices(of group: GeneratorParameterGroup) -> [Int] {
        groups.indices.filter { groups[$0] == group }
    }

    /// Number of scalars in the trainable groups.
    public var trainableScalarCount: Int {
        zip(tensors, groups).reduce(0) { $0 + (trainableGroups.contains($1.1) ? $1.0.count : 0) }
    }

    /// The state dict: every parameter under its name plus the smoother alias (`renderer.smooth_layer.*`).
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, tensor) in zip(names, tensors) {
            out[name] = tensor
            if name.hasPrefix(GeneratorParameterGroup.poseSmoother.prefix) {
                out[Self.smootherAliasPrefix + name.dropFirst(GeneratorParameterGroup.poseSmoother.prefix.count)] = tensor
            }
        }
        return out
    }

    /// The parameters as inference `Weights` (e.g. to build an `IdentityStage` or `FrameStage` and render).
    public func weights(source: String = "trainable parameters") -> Weights {
        Weights(tensors: stateDict(), source: source)
    }

    /// Records every parameter on `tape`: trainable groups as variables, the others as constants.
    public func bind(to tape: Tape) -> BoundGeneratorParameters {
        var variables: [String: Variable] = [:]
        var ordered: [Variable] = []
        for (i, name) in names.enumerated() {
            let v = trainableGroups.contains(groups[i]) ? tape.variable(tensors[i]) : tape.constant(tensors[i])
            variables[name] = v
            ordered.append(v)
        }
        return BoundGeneratorParameters(tape: tape, variables: variables, ordered: ordered, configuration: configuration)
    }

    /// The gradient of every parameter (in `names` order) after `backward` on the tape `bound` was made on:
    /// nil for frozen groups and for tensors the loss does not depend on.
    public func gradients(of bound: BoundGeneratorParameters) throws -> [Tensor?] {
        try bound.tape.gradients(of: bound.ordered)
    }
}
