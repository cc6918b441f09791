/// The distributions corpus labels are drawn from (written to `meta.json` so a corpus documents itself).
///
/// Close to the official samplers' statistics: camera near frontal (SHHQ-HS portraits are mostly frontal),
/// head and shoulder angles of the size the official keyframes and real-video examples show (a few to
/// about twelve degrees), expressions as sparse mixtures of the named blendshapes, identity and shape
/// standard normal in their bases. Every normal is clamped to its `limit` (about 3 sigma).
public struct LabelDistribution: Sendable, Equatable {
    /// A clamped normal `N(0, sigma²)` in degrees.
    public struct Angle: Sendable, Equatable {
        public var sigma: Double
        public var limit: Double
        public init(sigma: Double, limit: Double) { self.sigma = sigma; self.limit = limit }
    }

    public var cameraYaw = Angle(sigma: 12, limit: 40)
    public var cameraPitch = Angle(sigma: 4, limit: 15)
    /// Per joint (slot order of `Controls.jointNames`), per axis `[z, y, x]`.
    public var joints: [[Angle]] = [
        [Angle(sigma: 5, limit: 15), Angle(sigma: 8, limit: 24), Angle(sigma: 6, limit: 18)],   // neck
        [Angle(sigma: 4, limit: 12), Angle(sigma: 4, limit: 12), Angle(sigma: 3, limit: 9)],    // left collar
        [Angle(sigma: 4, limit: 12), Angle(sigma: 4, limit: 12), Angle(sigma: 3, limit: 9)],    // right collar
        [Angle(sigma: 6, limit: 18), Angle(sigma: 12, limit: 36), Angle(sigma: 8, limit: 24)],  // head
        [Angle(sigma: 8, limit: 24), Angle(sigma: 6, limit: 18), Angle(sigma: 6, limit: 18)],   // left shoulder
        [Angle(sigma: 8, limit: 24), Angle(sigma: 6, limit: 18), Angle(sigma: 6, limit: 18)],   // right shoulder
    ]
    /// Standard-normal coefficients clamped to `±codeLimit`.
    public var codeLimit = 3.0
    /// Probabilities of 0, 1, 2, 3 active blendshapes.
    public var activeBlendshapes = [0.25, 0.35, 0.25, 0.15]
    /// The weight of an active blendshape, uniform in this range.
    public var blendshapeWeight: ClosedRange<Double> = 0.15...1.0
    /// The face crop's camera relative to the posed head (GRAM's face-pose spread, SPEC.md section 8.2).
    public var faceYaw = Angle(sigma: 17, limit: 35)
    public var facePitch = Angle(sigma: 8.6, limit: 20)

    public init() {}

    /// Draws one portrait's labels (`identityCount` and `shapeCount` coefficients, `expressionCount`
    /// blendshape weights).
    public func sample(_ random: inout LabelRandom, identityCount: Int, shapeCount: Int,
                       expressionCount: Int) -> PortraitLabels {
        func draw(_ angle: Angle) -> Double { random.normal(sigma: angle.sigma, limit: angle.limit) }
        let yaw = draw(cameraYaw), pitch = draw(cameraPitch)
        let joints = self.joints.map { axes in axes.map(draw) }
        let shape = (0..<shapeCount).map { _ in random.normal(sigma: 1, limit: codeLimit) }
        let identity = (0..<identityCount).map { _ in random.normal(sigma: 1, limit: codeLimit) }
        var expression = [Double](repeating: 0, count: expressionCount)
        var active = min(random.pick(weights: activeBlendshapes), expressionCount)
        while active > 0 {
            let index = random.below(expressionCount)
            if expression[index] == 0 {
                expression[index] = random.uniform(blendshapeWeight)
                active -= 1
            }
        }
        let faceYaw = draw(faceYaw), facePitch = draw(facePitch)
        return PortraitLabels(cameraYaw: yaw, cameraPitch: pitch, joints: joints, shape: shape, identity: identity,
                              expression: expression, faceYaw: faceYaw, facePitch: facePitch)
    }
}
