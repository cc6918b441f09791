import Numerics

/// The three discriminators of a stage (`DiscriminatorKind`: whole, face, torso), saved and loaded together
/// as one dictionary of named tensors prefixed `d_<kind>.` (`d_whole.from_rgb.weight`, ...; the checkpoint
/// naming of `TrainingState`).
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
            let prefix = Self.prefix(kind)
            var own: [String: Tensor] = [:]
            for (name, t) in tensors where name.hasPrefix(prefix) { own[String(name.dropFirst(prefix.count))] = t }
            let parameters = try NamedParameters.load(own, expected: architecture.parameterShapes, source: "\(source) (\(prefix)*)")
            return try Discriminator(architecture: architecture, parameters: parameters, source: source)
        }
        whole = try load(.whole)
        face = try load(.face)
        torso = try load(.torso)
        let known = Set(DiscriminatorKind.allCases.map(Self.prefix))
        if let stray = tensors.keys.sorted().first(where: { name in !known.contains { name.hasPrefix($0) } }) {
            throw TrainingError.parameters(source: source, reason: "unexpected tensor '\(stray)' (not d_whole., d_face. or d_torso.)")
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

    /// The name prefix of `kind`'s tensors: `d_whole.`, `d_face.`, `d_torso.`.
    public static func prefix(_ kind: DiscriminatorKind) -> String { "d_" + kind.rawValue + "." }

    /// Every tensor, named `d_<kind>.<parameter>`.
    public var tensors: [String: Tensor] {
        var out: [String: Tensor] = [:]
        for kind in DiscriminatorKind.allCases {
            let p = self[kind].parameters
            for name in p.names { out[Self.prefix(kind) + name] = p[name] }
        }
        return out
    }
}
