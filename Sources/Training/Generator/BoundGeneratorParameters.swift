import Autodiff
import Generator
import ModelIO
import Numerics

/// The generator parameters recorded on one tape (`TrainableGeneratorParameters.bind(to:)`): a variable or
/// constant per state-dict name. Only meaningful with its tape; make a new binding for every tape.
public struct BoundGeneratorParameters {
    /// The tape the parameters live on.
    public let tape: Tape
    /// Variable (trainable) or constant (frozen) per state-dict name.
    public let variables: [String: Variable]
    /// The same, in `TrainableGeneratorParameters.names` order.
    public let ordered: [Variable]
    public let configuration: GeneratorConfiguration

    /// The tensor `name` on the tape.
    public subscript(_ name: String) -> Variable {
        get throws {
            guard let v = variables[name] else { throw GeneratorError.missingTensor(name: name, source: "bound parameters") }
            return v
        }
    }
}
