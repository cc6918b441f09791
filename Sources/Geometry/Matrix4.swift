/// A 4×4 Float32 matrix, row-major (`self[i, j]` = row `i`, column `j`): homogeneous transforms and the
/// blended skinning transforms of SPEC §5.3.
///
/// Products sum over the inner index in increasing order, unfused.
public struct Matrix4: Sendable, Equatable {
    /// Rows 0...3.
    public var row0, row1, row2, row3: SIMD4<Float>

    /// A matrix from its four rows.
    @inlinable
    public init(rows row0: SIMD4<Float>, _ row1: SIMD4<Float>, _ row2: SIMD4<Float>, _ row3: SIMD4<Float>) {
        self.row0 = row0; self.row1 = row1; self.row2 = row2; self.row3 = row3
    }

    /// A matrix from 16 row-major elements (`elements.count` must be 16).
    @inlinable
    public init<C: Collection>(rowMajor elements: C) where C.Element == Float, C.Index == Int {
        precondition(elements.count == 16, "Matrix4(rowMajor:) needs 16 elements, got \(elements.count)")
        let s = elements.startIndex
        func r(_ i: Int) -> SIMD4<Float> {
            SIMD4(elements[s + 4 * i], elements[s + 4 * i + 1], elements[s + 4 * i + 2], elements[s + 4 * i + 3])
        }
        self.init(rows: r(0), r(1), r(2), r(3))
    }

    /// The homogeneous matrix `[[R, t], [0, 0, 0, 1]]`.
    public init(rotation r: Matrix3, translation t: SIMD3<Float>) {
        row0 = SIMD4(r.row0, t.x)
        row1 = SIMD4(r.row1, t.y)
        row2 = SIMD4(r.row2, t.z)
        row3 = SIMD4(0, 0, 0, 1)
    }

    /// The identity matrix.
    public static let identity = Matrix4(rows: SIMD4(1, 0, 0, 0), SIMD4(0, 1, 0, 0), SIMD4(0, 0, 1, 0),
                                         SIMD4(0, 0, 0, 1))

    /// Element at row `i`, column `j` (both 0...3).
    public subscript(i: Int, j: Int) -> Float {
        get { row(i)[j] }
        set {
            switch i {
            case 0: row0[j] = newValue
            case 1: row1[j] = newValue
            case 2: row2[j] = newValue
            default: row3[j] = newValue
            }
        }
    }

    /// Row `i` (0...3).
    public func row(_ i: Int) -> SIMD4<Float> {
        switch i {
        case 0: return row0
        case 1: return row1
        case 2: return row2
        default: return row3
        }
    }

    /// The 16 elements, row-major.
    public var elements: [Float] {
        [row0.x, row0.y, row0.z, row0.w, row1.x, row1.y, row1.z, row1.w,
         row2.x, row2.y, row2.z, row2.w, row3.x, row3.y, row3.z, row3.w]
    }

    /// The upper-left 3×3 block.
    public var rotationPart: Matrix3 {
        Matrix3(rows: SIMD3(row0.x, row0.y, row0.z), SIMD3(row1.x, row1.y, row1.z), SIMD3(row2.x, row2.y, row2.z))
    }

    /// The first three entries of the last column.
    public var translationPart: SIMD3<Float> { SIMD3(row0.w, row1.w, row2.w) }

    /// Matrix product `a · b`.
    public static func * (a: Matrix4, b: Matrix4) -> Matrix4 {
        func r(_ ar: SIMD4<Float>) -> SIMD4<Float> {
            var out = ar.x * b.row0
            out += ar.y * b.row1
            out += ar.z * b.row2
            out += ar.w * b.row3
            return out
        }
        return Matrix4(rows: r(a.row0), r(a.row1), r(a.row2), r(a.row3))
    }

    /// The first three entries of `m · [p; 1]` (the fourth row is ignored), summed as
    /// `((m₀·x + m₁·y) + m₂·z) + m₃`.
    public func transformPoint(_ p: SIMD3<Float>) -> SIMD3<Float> {
        var out = SIMD3(row0.x, row1.x, row2.x) * p.x
        out += SIMD3(row0.y, row1.y, row2.y) * p.y
        out += SIMD3(row0.z, row1.z, row2.z) * p.z
        out += translationPart
        return out
    }

    /// The general inverse by LU factorisation with partial pivoting (SPEC A.14), in Float32.
    /// Allocation-free. Throws `GeometryError.singularMatrix` when a pivot is exactly zero or the result is
    /// not finite.
    public func inverse() throws -> Matrix4 {
        // Doolittle LU with row pivoting, in place: a = P·L·U (L below the diagonal, unit diagonal).
        var a = SIMD16<Float>(lowHalf: SIMD8(lowHalf: row0, highHalf: row1), highHalf: SIMD8(lowHalf: row2, highHalf: row3))
        var perm = SIMD4<Int32>(0, 1, 2, 3)
        for k in 0..<4 {
            var p = k
            var best = abs(a[4 * k + k])
            for i in (k + 1)..<4 where abs(a[4 * i + k]) > best {
                best = abs(a[4 * i + k]); p = i
            }
            guard best > 0 else { throw GeometryError.singularMatrix(operation: "Matrix4.inverse") }
            if p != k {
                for j in 0..<4 { let t = a[4 * p + j]; a[4 * p + j] = a[4 * k + j]; a[4 * k + j] = t }
                let t = perm[p]; perm[p] = perm[k]; perm[k] = t
            }
            let pivot = a[4 * k + k]
            for i in (k + 1)..<4 {
                let l = a[4 * i + k] / pivot
                a[4 * i + k] = l
                for j in (k + 1)..<4 { a[4 * i + j] -= l * a[4 * k + j] }
            }
        }
        // Solve L·U·x = P·e_c for each column c of the identity; x is column c of the inverse.
        var inv = SIMD16<Float>()
        for c in 0..<4 {
            var y = SIMD4<Float>.zero
            for i in 0..<4 {
                var s: Float = perm[i] == Int32(c) ? 1 : 0
                for j in 0..<i { s -= a[4 * i + j] * y[j] }
                y[i] = s
            }
            for i in stride(from: 3, through: 0, by: -1) {
                var s = y[i]
                for j in (i + 1)..<4 { s -= a[4 * i + j] * inv[4 * j + c] }
                inv[4 * i + c] = s / a[4 * i + i]
            }
        }
        for i in 0..<16 where !inv[i].isFinite {
            throw GeometryError.singularMatrix(operation: "Matrix4.inverse")
        }
        return Matrix4(rows: inv.lowHalf.lowHalf, inv.lowHalf.highHalf, inv.highHalf.lowHalf, inv.highHalf.highHalf)
    }
}
