import Testing
@testable import Training

@Suite struct ModelEvaluationTests {
    @Test func theHeadPoseFitRecoversTheAnglesThatProjectedTheLandmarks() throws {
        let projector = try FaceLandmarkProjector()
        let joints = [[0.0, 0, 0], [0, 0, 0], [0, 0, 0], [10, -15, 5], [0, 0, 0], [0, 0, 0]]
        let posed = try projector.posedLandmarks(identity: [Float](repeating: 0.3, count: 80), shape: [Float](repeating: 0, count: 10),
                                                 expression: [Float](repeating: 0, count: 16), joints: joints)
        for (yaw, pitch) in [(0.0, 0.0), (12.0, -6.5), (-21.5, 9.0)] {
            let measured = posed.project(faceYaw: yaw, facePitch: pitch, size: 128)
            let fitted = ModelEvaluation.bestAngles(posed: posed, measured: measured, size: 128, around: (0, 0))
            #expect(Swift.abs(fitted.yaw - yaw) <= 0.5 && Swift.abs(fitted.pitch - pitch) <= 0.5, "fitted \(fitted) for \((yaw, pitch))")
            #expect(ModelEvaluation.angleBetween(yaw: fitted.yaw, pitch: fitted.pitch, yaw: yaw, pitch: pitch) < 0.75)
        }
    }

    @Test func pixelsAreThePosedLandmarksProjected() throws {
        let projector = try FaceLandmarkProjector()
        let joints = [[0.0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 20, 0], [0, 0, 0], [0, 0, 0]]
        let identity = [Float](repeating: -0.2, count: 80), shape = [Float](repeating: 0.5, count: 10)
        let expression = [Float](repeating: 0.1, count: 16)
        let a = try projector.pixels(identity: identity, shape: shape, expression: expression, joints: joints, faceYaw: 5, facePitch: -3, size: 96)
        let b = try projector.posedLandmarks(identity: identity, shape: shape, expression: expression, joints: joints)
            .project(faceYaw: 5, facePitch: -3, size: 96)
        #expect(a == b)
        #expect(a.count == 68)
        // A face looked at by its own face camera fills the middle of the image.
        let centre = a.reduce(SIMD2<Double>(0, 0), +) / 68
        #expect(Swift.abs(centre.x - 48) < 16 && Swift.abs(centre.y - 48) < 20, "landmark centroid \(centre)")
    }

    @Test func anglesBetweenViewingDirections() {
        #expect(Swift.abs(ModelEvaluation.angleBetween(yaw: 0, pitch: 0, yaw: 30, pitch: 0) - 30) < 1e-9)
        #expect(Swift.abs(ModelEvaluation.angleBetween(yaw: 0, pitch: -10, yaw: 0, pitch: 10) - 20) < 1e-9)
        #expect(ModelEvaluation.angleBetween(yaw: 7, pitch: 3, yaw: 7, pitch: 3) < 1e-4)   // acos near 1 keeps ~sqrt(ulp)
    }
}
