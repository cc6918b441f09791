import Foundation
import Generator
import Geometry
import Numerics
import Testing
import Synth
@testable import Training

@Suite struct FrechetDistanceTests {
    /// Rows with exactly the given per-dimension mean and (population-corrected) spread: ±σ·√((n−1)/n)… built
    /// as `mean ± σ` pairs, whose sample variance with n − 1 is σ²·n/(n − 1).
    static func rows(mean: [Double], sigma: [Double], pairs: Int) -> [[Double]] {
        var out: [[Double]] = []
        for k in 0..<pairs {
            // alternate which dimensions go up so that the dimensions are uncorrelated
            var up: [Double] = [], down: [Double] = []
            for j in mean.indices {
                let sign: Double = ((k >> j) & 1) == 0 ? 1 : -1
                up.append(mean[j] + sign * sigma[j]); down.append(mean[j] - sign * sigma[j])
            }
            out += [up, down]
        }
        return out
    }

    @Test func identicalSetsAreAtDistanceZero() {
        let a = Self.rows(mean: [1, -2, 0.5], sigma: [1, 2, 0.3], pairs: 8)
        #expect(Swift.abs(FrechetDistance.distance(a, a)) < 1e-9)
    }

    @Test func matchesTheClosedFormForIndependentDimensions() {
        // For diagonal covariances: Σ_j (μ1j − μ2j)² + (s1j − s2j)², s = sample standard deviation.
        let n = 8
        let a = Self.rows(mean: [0, 1], sigma: [1, 2], pairs: n)
        let b = Self.rows(mean: [3, -1], sigma: [2, 0.5], pairs: n)
        let scale = (Double(2 * n) / Double(2 * n - 1)).squareRoot()
        let expected = 9.0 + 4.0 + ((1.0 - 2.0) * scale) * ((1.0 - 2.0) * scale) + ((2.0 - 0.5) * scale) * ((2.0 - 0.5) * scale)
        #expect(Swift.abs(FrechetDistance.distance(a, b) - expected) < 1e-9)
    }

    @Test func handlesCorrelatedCovariances() {
        // Rotating a set changes its covariance but not its distance to itself rotated: d(A, A) = 0, and
        // d(A, R·A) > 0 for an anisotropic A; symmetric in its arguments.
        let a = Self.rows(mean: [0, 0], sigma: [3, 0.5], pairs: 8)
        let c = cos(0.7), s = sin(0.7)
        let rotated = a.map { [c * $0[0] - s * $0[1], s * $0[0] + c * $0[1]] }
        let forward = FrechetDistance.distance(a, rotated), backward = FrechetDistance.distance(rotated, a)
        #expect(forward > 1)
        #expect(Swift.abs(forward - backward) < 1e-9)
    }
}

@Suite struct DepthReprojectionTests {
    /// The depth map (distance from the camera origin, NaN off the sphere) of a sphere of radius 0.2 at
    /// `centre`, seen by the portrait camera at `angles`.
    static func sphereDepth(centre: SIMD3<Float>, angles: CameraAngles, size: Int) throws -> Tensor {
        let camera = PortraitCamera.release
        let frame = camera.frame(angles), rays = camera.rays(resolution: size, samples: 2)
        var depth = [Float](repeating: .nan, count: size * size)
        for p in 0..<(size * size) {
            let w = frame.worldDirection(rays.directions[p])
            let start = frame.origin + frame.sampleOffset - centre
            let b = (start * w).sum(), c = (start * start).sum() - 0.04
            let disc = b * b - c
            guard disc >= 0 else { continue }
            let t = -b - disc.squareRoot()
            let hit = frame.origin + frame.sampleOffset + w * t
            depth[p] = ((hit - frame.origin) * (hit - frame.origin)).sum().squareRoot()
        }
        return try Tensor(shape: [size, size], scalars: depth)
    }

    @Test func oneSurfaceSeenFromTwoYawsIsConsistent() throws {
        let a = CameraAngles(relativeYawDegrees: -15, relativePitchDegrees: 0)
        let b = CameraAngles(relativeYawDegrees: 15, relativePitchDegrees: 5)
        let centre = SIMD3<Float>(0.02, 0.05, 0)
        let errors = try DepthReprojection().errors(depthA: Self.sphereDepth(centre: centre, angles: a, size: 96), anglesA: a,
                                                   depthB: Self.sphereDepth(centre: centre, angles: b, size: 96), anglesB: b)
        #expect(errors.foreground > 2000)
        #expect(errors.matched > errors.foreground / 2)
        #expect(errors.median < 0.002)
    }

    @Test func twoDifferentSurfacesAreNot() throws {
        let a = CameraAngles(relativeYawDegrees: -15, relativePitchDegrees: 0)
        let b = CameraAngles(relativeYawDegrees: 15, relativePitchDegrees: 0)
        let errors = try DepthReprojection().errors(
            depthA: Self.sphereDepth(centre: SIMD3(0, 0, 0), angles: a, size: 96), anglesA: a,
            depthB: Self.sphereDepth(centre: SIMD3(0, 0, 0.06), angles: b, size: 96), anglesB: b)
        #expect(errors.median > 0.02)
    }
}

@Suite struct SyntheticDepthConsistencyTests {
    /// The parametric renderer draws one mesh, so its depth maps at two yaws agree where both see the figure
    /// (up to pixel quantisation): a check of its depth convention against `DepthReprojection`'s.
    @Test func theSyntheticModelsDepthReprojectsBetweenYaws() throws {
        let model = try SyntheticPortraitModel(size: 128)
        var a = Controls(identity: .seed(3, blend: 0)), b = a
        a.camera = Controls.Camera(yaw: -20, pitch: 0)
        b.camera = Controls.Camera(yaw: 20, pitch: 0)
        let errors = try DepthReprojection().errors(
            depthA: model.renderAll(controls: a).depth, anglesA: CameraAngles(relativeYawDegrees: -20, relativePitchDegrees: 0),
            depthB: model.renderAll(controls: b).depth, anglesB: CameraAngles(relativeYawDegrees: 20, relativePitchDegrees: 0))
        #expect(errors.matched > errors.foreground / 2, "\(errors)")
        #expect(errors.median < 0.004, "\(errors)")
    }
}
