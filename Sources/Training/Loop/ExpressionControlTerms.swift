import Autodiff
import Generator
import Numerics
import Synth

/// The two expression-control terms of the adversarial objective (SPEC.md §8.3, our stand-ins described in
/// `LandmarkLoss` and `FaceDeformationReference`):
///
/// - `landmark` (G main, stage 1): the frozen landmark network's 68 landmarks on the generated face image
///   against the face model's landmarks for the drawn codes, joints and face-camera angles
///   (`FaceLandmarkProjector`), mean squared distance in normalised image coordinates.
/// - `imitation` (G reg, stage 1): the expression deformation `D^e(x) − x` at points scattered around the
///   expressed face mesh in the canonical space (a random face vertex plus N(0, σ²) per axis) against the face
///   model's inverse expression displacement at the nearest vertex, over the points within 0.02 of the mesh.
struct ExpressionControlTerms {
    /// The frozen landmark network (nil: the landmark term is off).
    let landmarkNetwork: LandmarkNetwork?
    let projector: FaceLandmarkProjector
    let reference: FaceDeformationReference
    /// Points of the imitation term per sample.
    static let imitationPoints = 1024
    /// Spread of the imitation points around the face vertices, rendering-space units (≈ 1.2 cm).
    static let imitationSpread: Float = 0.01

    init(landmarkNetwork: LandmarkNetwork?) throws {
        self.landmarkNetwork = landmarkNetwork
        projector = try FaceLandmarkProjector()
        reference = FaceDeformationReference(figure: projector.figure)
    }

    /// The landmark term of a generated face `[1, 3, S, S]` (a variable of the generator's tape), or nil when the
    /// term is off.
    func landmark(_ tape: Tape, face: Variable, labels: PortraitLabels) throws -> Variable? {
        guard let landmarkNetwork else { return nil }
        let target = try projector.targets(labels, size: face.shape[3])
        return try LandmarkLoss.evaluate(tape, faces: face, network: landmarkNetwork, target: target)
    }

    /// The imitation points of a sample (seeded) and their reference: canonical points `[N, 3]`, `Δx_ref`
    /// `[N, 3]` and mask `[N]` (rendering-space units).
    func imitationReference(_ labels: PortraitLabels, seed: UInt64) throws
        -> (points: Tensor, displacement: Tensor, mask: Tensor) {
        let identity = labels.identity.map { Float($0) }, shape = labels.shape.map { Float($0) }
        let expression = labels.expression.map { Float($0) }
        let vertices = try reference.canonicalFaceVertices(shape: shape, identity: identity, expression: expression)
        var picker = SplitMix64(seed: seed ^ 0x494D_4954_4154)
        var normal = SeededNormal(seed: seed ^ 0x5350_5245_4144)
        let n = Self.imitationPoints
        var scalars = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            let v = vertices[picker.below(vertices.count)]
            for axis in 0..<3 { scalars[3 * i + axis] = v[axis] + Self.imitationSpread * normal.next() }
        }
        let points = try Tensor(shape: [n, 3], scalars: scalars)
        let found = try reference.lookup(points: points, shape: shape, identity: identity, expression: expression)
        return (points, found.displacement, found.mask)
    }

    /// The imitation term of a sample on the generator's tape: `D^e` of `generator` with `modulation` (the
    /// sample's DeformNet modulation) at the seeded points.
    func imitation(_ bound: BoundGeneratorParameters, generator: DifferentiableGenerator,
                   modulation: (frequencies: Variable, phases: Variable), labels: PortraitLabels, seed: UInt64) throws -> Variable {
        let tape = bound.tape
        let (points, displacement, mask) = try imitationReference(labels, seed: seed)
        // D^e works on warped points (x·k) and returns Δ in warped units: the displacement is Δ/k.
        let warped = tape.constant(points.scaled(by: SampleNet.warp))
        let delta = try generator.expressionDeformation(bound, warpedPoints: warped, modulation: modulation)
        return try ExpressionImitationLoss.evaluate(tape, displacement: tape.affine(delta, scale: 1 / SampleNet.warp),
                                                    reference: displacement, mask: mask)
    }
}
