import Testing
@testable import Geometry

@Suite struct MatrixTests {
    @Test func productsAndTranspose() {
        let a = Matrix3(rows: SIMD3(1, 2, 3), SIMD3(4, 5, 6), SIMD3(7, 8, 10))
        let b = Matrix3(rows: SIMD3(0, 1, 0), SIMD3(-1, 0, 2), SIMD3(3, 1, 1))
        #expect(a * b == Matrix3(rows: SIMD3(7, 4, 7), SIMD3(13, 10, 16), SIMD3(22, 17, 26)))
        #expect(a * SIMD3(1, -1, 2) == SIMD3(5, 11, 19))
        #expect(a.transposed.row0 == SIMD3(1, 4, 7) && a.column(2) == SIMD3(3, 6, 10))
        #expect(Matrix3(columns: a.column(0), a.column(1), a.column(2)) == a)
        #expect(a * .identity == a)
    }

    @Test func inverseOfAGeneralMatrixNeedsPivoting() throws {
        // Zero leading entry: fails without row pivoting.
        let m = Matrix4(rowMajor: [0, 2, 1, 4,
                                   1, 1, 0, -1,
                                   3, 0, 2, 0.5,
                                   0.25, 0, 0, 1] as [Float])
        let inv = try m.inverse()
        let p = m * inv
        for i in 0..<4 {
            for j in 0..<4 { #expect(abs(p[i, j] - (i == j ? 1 : 0)) < 1e-5, "m·m⁻¹[\(i),\(j)] = \(p[i, j])") }
        }
        let rigid = RigidTransform(rotation: EulerZYX.matrix(SIMD3(0.3, -0.4, 1.2)), translation: SIMD3(0.5, -2, 3))
        let inv2 = try rigid.matrix.inverse()
        let expected = rigid.inverse.matrix
        for i in 0..<4 { for j in 0..<4 { #expect(abs(inv2[i, j] - expected[i, j]) < 1e-6) } }
    }

    @Test func singularMatrixThrows() {
        let m = Matrix4(rowMajor: [1, 2, 3, 4, 2, 4, 6, 8, 0, 0, 1, 0, 0, 0, 0, 1] as [Float])
        #expect(throws: GeometryError.singularMatrix(operation: "Matrix4.inverse")) { try m.inverse() }
    }

    @Test func rigidTransformsComposeAndApply() {
        let a = RigidTransform(rotation: EulerZYX.matrix(SIMD3(0.2, 0.1, -0.3)), translation: SIMD3(1, 2, 3))
        let b = RigidTransform(rotation: EulerZYX.matrix(SIMD3(-0.5, 0.4, 0.7)), translation: SIMD3(-1, 0, 0.5))
        let p = SIMD3<Float>(0.3, -0.8, 1.5)
        let viaComposition = a.composed(with: b).apply(p)
        let stepwise = a.apply(b.apply(p))
        #expect(simdMaxAbs(viaComposition - stepwise) < 1e-6)
        #expect(simdMaxAbs(a.inverse.apply(a.apply(p)) - p) < 1e-6)
        #expect(simdMaxAbs(a.matrix.transformPoint(p) - a.apply(p)) < 1e-6)
        #expect(RigidTransform(a.matrix) == a)
    }

    func simdMaxAbs(_ v: SIMD3<Float>) -> Float { max(abs(v.x), max(abs(v.y), abs(v.z))) }
}
