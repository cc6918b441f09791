import Foundation
import Testing
@testable import Geometry

@Suite struct EulerZYXTests {
    /// A small deterministic generator for test angles.
    struct LCG {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
    }

    @Test func axisMatricesFollowSpecA10() {
        let t: Float = 0.3
        let c = cos(t), s = sin(t)
        #expect(EulerZYX.rotationZ(t) == Matrix3(rows: SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1)))
        #expect(EulerZYX.rotationY(t) == Matrix3(rows: SIMD3(c, 0, s), SIMD3(0, 1, 0), SIMD3(-s, 0, c)))
        #expect(EulerZYX.rotationX(t) == Matrix3(rows: SIMD3(1, 0, 0), SIMD3(0, c, -s), SIMD3(0, s, c)))
        // Composition order: (Rz · Ry) · Rx with e = (z, y, x).
        let e = SIMD3<Float>(0.1, -0.2, 0.3)
        #expect(EulerZYX.matrix(e) == (EulerZYX.rotationZ(0.1) * EulerZYX.rotationY(-0.2)) * EulerZYX.rotationX(0.3))
    }

    @Test func matrixMatchesHandComputedDoubleValues() {
        // R = Rz(a) Ry(b) Rx(c) in closed form (Float64), compared to the Float32 product.
        let (a, b, c) = (0.4, -0.7, 1.1)
        let expected: [[Double]] = [
            [cos(a) * cos(b), cos(a) * sin(b) * sin(c) - sin(a) * cos(c), cos(a) * sin(b) * cos(c) + sin(a) * sin(c)],
            [sin(a) * cos(b), sin(a) * sin(b) * sin(c) + cos(a) * cos(c), sin(a) * sin(b) * cos(c) - cos(a) * sin(c)],
            [-sin(b), cos(b) * sin(c), cos(b) * cos(c)],
        ]
        let r = EulerZYX.matrix(SIMD3(Float(a), Float(b), Float(c)))
        for i in 0..<3 { for j in 0..<3 { #expect(abs(Double(r[i, j]) - expected[i][j]) < 1e-6) } }
    }

    @Test func anglesInvertMatrixAwayFromGimbalLock() {
        var g = LCG(state: 7)
        for _ in 0..<1000 {
            let e = SIMD3(Float.pi * (2 * g.next() - 1), 1.5 * (2 * g.next() - 1), Float.pi * (2 * g.next() - 1))
            let back = EulerZYX.angles(of: EulerZYX.matrix(e))
            for c in 0..<3 { #expect(abs(back[c] - e[c]) < 2e-5, "angles \(e) came back as \(back)") }
        }
    }

    @Test func gimbalLockIsClampedAndRebuildsTheMatrix() {
        // The reference case gimbal_head_yaw90: head (0, f32(pi/2), 0) composed with the head offset.
        let head = EulerZYX.matrix(SIMD3(0, Float(Double.pi / 2), 0)) * EulerZYX.matrix(SIMD3(0, 0, 0.15536945))
        #expect(head[2, 0] == -1)
        let e = EulerZYX.angles(of: head)
        #expect(e.y == Float(Double.pi / 2) && e.x.isFinite && e.z.isFinite)
        // The official Float32 evaluation returns (π, π/2, −2.9862232) here (SPEC §5.3 step 1).
        #expect(abs(e.x - Float(Double.pi)) < 1e-6 && abs(e.z + 2.9862232) < 1e-6, "gimbal angles \(e)")
        let rebuilt = EulerZYX.matrix(e)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(rebuilt[i, j] - head[i, j]) < 1e-6) } }
        // A matrix entry pushed beyond 1 by rounding is clamped instead of giving NaN.
        var m = Matrix3.identity
        m[2, 0] = -1.0000001
        #expect(EulerZYX.angles(of: m).y == Float(Double.pi / 2))
    }
}
