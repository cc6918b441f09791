import Numerics

/// The three discriminators of a stage (`DiscriminatorKind`: whole, face, torso), saved and loaded together
/// as one dictionary of named tensors with the kind as prefix (`whole.from_rgb.weight`, ...), e.g. inside a
/// checkpoint.
public struct DiscriminatorSet: Sendable {
    public var whole: Discriminator
    public var face: Discriminator
    public var torso: Discriminator

    /// Fresh discriminators for portraits of `portraitSize`² and faces of `faceSize`² pixels, seeded from
    /// `seed` (each kind its own stream).
    public init(portraitSize: Int, faceSize: Int, baseChannels: Int = 16, maxChannels: Int = 128, seed: UInt64) throws {
        func make(_ kind: DiscriminatorKind, _ offset: UInt64) throws -> Discriminator {
            try Discriminator(architecture: kind.architecture(portraitSize: portraitSize, faceSize: faceSize,
                                                              baseChannels: baseChannels, maxChannels: maxChannels),
                              seed: seed &+ offset &* 0x9E37_79B9_7F4A_7C15)
        }
        whole = try make(.whole, 1)
        face = try make(.face, 2)
        torso = try make(.torso, 3)
    }

    /// Restores the set from `tensors` (as written by `tensors`), checked against the architectures of
    /// these sizes; `source` names the file or checkpoint in errors.
    public init(tensors: [String: Tensor], portraitSize: Int, faceSize: Int, baseChannels: Int = 16, maxChannels: Int = 128,
                source: String) throws {
        func load(_ kind: DiscriminatorKind) throws -> Discriminator {
            let architecture = try kind.architecture(portraitSize: portraitSize, faceSize: faceSize,
                                                     baseChannels: baseChannels, maxChannels: maxChannels)
            let prefix = kind.rawValue + "."
            var own: [String: Tensor] = [:]
            for (name, t) in tensors where name.hasPrefix(prefix) { own[String(name.dropFirst(prefix.count))] = t }
            let parameters = try NamedParameters.load(own, expected: architecture.parameterShapes, source: "\(source) (\(prefix)*)")
            return try Discriminator(architecture: architecture, parameters: parameters, source: source)
        }
        whole = try load(.whole)
        face = try load(.face)
        torso = try load(.torso)
        let known = Set(DiscriminatorKind.allCases.map { $0.rawValue + "." })
        if let stray = tensors.keys.sorted().first(where: { name in !known.contains { name.hasPrefix($0) } }) {
            throw TrainingError.parameters(source: source, reason: "unexpected tensor '\(stray)' (not whole., face. or torso.)")
        }
    }

    /// The discriminator of `kind`.
    public subscript(kind: DiscriminatorKind) -> Discriminator {
        get {
            switch kind {
            case .whole: return whole
            case .face: return face
            case .torso: return torso
            }
        }
        set {
            switch kind {
            case .whole: whole = newValue
            case .face: face = newValue
            case .torso: torso = newValue
            }
        }
    }

    /// Every tensor, named `<kind>.<parameter>`.
    public var tensors: [String: Tensor] {
        var out: [String: Tensor] = [:]
        for kind in DiscriminatorKind.allCases {
            let p = self[kind].parameters
            for name in p.names { out[kind.rawValue + "." + name] = p[name] }
        }
        return out
    }
}
