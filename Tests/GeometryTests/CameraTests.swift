import Foundation
import Testing
@testable import Geometry

@Suite struct CameraTests {
    func maxAbs(_ v: SIMD3<Float>) -> Float { max(abs(v.x), max(abs(v.y), abs(v.z))) }

    @Test func imagePlaneDistanceHasTheReleaseBits() {
        #expect(RayGrid.imagePlaneZ(fovDegrees: 12).bitPattern == 0xC118_3AD6)
    }

    @Test func relativeDegreesMapToAbsoluteRadians() {
        let frontal = CameraAngles(relativeYawDegrees: 0, relativePitchDegrees: 0)
        #expect(frontal == .frontal)
        #expect(frontal.pitch == Float(1.5707963705062866))
        let a = CameraAngles(relativeYawDegrees: 30, relativePitchDegrees: -10)
        #expect(abs(Double(a.yaw) - (Double.pi / 2 + Double.pi / 6)) < 1e-7)
        #expect(abs(Double(a.pitch) - (Double.pi / 2 - Double.pi / 18)) < 1e-7)
        #expect(abs(a.relativeYawDegrees - 30) < 1e-5 && abs(a.relativePitchDegrees + 10) < 1e-5)
        // Positive yaw moves the camera to the subject's right (-x), positive pitch moves it down (-y).
        let o = CameraAngles(relativeYawDegrees: 20, relativePitchDegrees: 10).orbitPosition(radius: 1)
        #expect(o.x < 0 && o.y < 0 && o.z > 0)
    }

    @Test func frontalOriginIsTheFloat32Value() {
        // SPEC §4.2: computed in Float32 from Float32(π/2), o = (−8.28e−8, −8.28e−8, 1.8950880).
        let o = PortraitCamera.release.origin(.frontal)
        #expect(o == SIMD3(-8.283693e-08, -8.283693e-08, 1.895088))
    }

    @Test func cameraFrameIsOrthonormalAndLooksAtTheOrigin() {
        let camera = PortraitCamera.release
        for angles in [CameraAngles.frontal, CameraAngles(pitch: 1.2, yaw: 2.1), CameraAngles(pitch: 2.0, yaw: 0.9)] {
            let f = camera.frame(angles)
            let r = f.rotation
            let g = r.transposed * r
            for i in 0..<3 { for j in 0..<3 { #expect(abs(g[i, j] - (i == j ? 1 : 0)) < 1e-6) } }
            // The optical axis (-z in camera space) points from the origin towards the world origin.
            let axis = f.worldDirection(SIMD3(0, 0, -1))
            #expect(maxAbs(axis + CameraFrame.normalized(f.origin)) < 1e-6)
            // Image up (+y) has a positive world-y component for these cameras.
            #expect(f.worldDirection(SIMD3(0, 1, 0)).y > 0)
            #expect(f.sampleOffset == SIMD3(0, Float(-0.018307705578718726), Float(-0.09590692521323398)))
        }
        // Frontal: camera x is world +x... R columns are (-left, up, -forward) with left = +y × forward.
        let f = camera.frame(.frontal)
        #expect(maxAbs(f.rotation.column(0) - SIMD3(1, 0, 0)) < 1e-6)
        #expect(maxAbs(f.rotation.column(2) - SIMD3(0, 0, 1)) < 1e-6)
    }

    @Test func rayGridBorderPixelsAndDepths() {
        let grid = PortraitCamera.release.rays(resolution: 16, samples: 64)
        #expect(grid.directions.count == 256 && grid.depths.count == 64)
        #expect(grid.depths.first == Float(1.675087979372887) && grid.depths.last == Float(2.115087979372887))
        let zc = RayGrid.imagePlaneZ(fovDegrees: 12)
        // Row 0, column 0: (u, v) = (-1, +1); last pixel (+1, -1); all unit length.
        #expect(maxAbs(grid.directions[0] - CameraFrame.normalized(SIMD3(-1, 1, zc))) == 0)
        #expect(maxAbs(grid.directions[255] - CameraFrame.normalized(SIMD3(1, -1, zc))) == 0)
        for d in grid.directions {
            #expect(abs((d * d).sum() - 1) < 1e-6)
        }
        let p = grid.cameraPoint(ray: 17, sample: 5)
        #expect(p == grid.directions[17] * grid.depths[5])
    }

    @Test func faceCameraFollowsTheHead() {
        let face = FaceCamera.standard
        // With the identity head transform the frontal face camera sits at (0, 0, 1) looking at the origin.
        let f0 = face.frame(.frontal, head: .identity)
        #expect(maxAbs(f0.origin - SIMD3(0, 0, 1)) < 1e-6 && f0.sampleOffset == .zero)
        // A turned and moved head carries the camera along: same relative position and orientation.
        let head = RigidTransform(rotation: EulerZYX.matrix(SIMD3(0.1, 0.5, -0.2)), translation: SIMD3(0.05, -0.1, 0.02))
        let angles = CameraAngles(relativeYawDegrees: 15, relativePitchDegrees: -5)
        let local = face.frame(angles, head: .identity)
        let posed = face.frame(angles, head: head)
        #expect(maxAbs(posed.origin - head.apply(local.origin)) < 1e-6)
        // It looks at the posed face centre (the head transform's translation), at distance 1.
        let toCentre = head.translation - posed.origin
        #expect(abs((toCentre * toCentre).sum().squareRoot() - 1) < 1e-5)
        #expect(maxAbs(posed.worldDirection(SIMD3(0, 0, -1)) - CameraFrame.normalized(toCentre)) < 1e-5)
        let grid = face.rays(resolution: 8, samples: 64)
        #expect(grid.depths.first == Float(0.88) && grid.depths.last == Float(1.12))
    }
}
