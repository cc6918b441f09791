/// A 3×3 Float32 matrix, row-major (`self[i, j]` = row `i`, column `j`).
///
/// Products sum over the inner index in increasing order, `(a₀b₀ + a₁b₁) + a₂b₂`, unfused.
public struct Matrix3: Sendable, Equatable {
    /// Rows 0, 1, 2.
    public var row0, row1, row2: SIMD3<Float>

    /// A matrix from its three rows.
    public init(rows row0: SIMD3<Float>, _ row1: SIMD3<Float>, _ row2: SIMD3<Float>) {
        self.row0 = row0; self.row1 = row1; self.row2 = row2
    }

    /// A matrix from its three columns.
    public init(columns c0: SIMD3<Float>, _ c1: SIMD3<Float>, _ c2: SIMD3<Float>) {
        row0 = SIMD3(c0.x, c1.x, c2.x)
        row1 = SIMD3(c0.y, c1.y, c2.y)
        row2 = SIMD3(c0.z, c1.z, c2.z)
    }

    /// The identity matrix.
    public static let identity = Matrix3(rows: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    /// Element at row `i`, column `j` (both 0...2).
    public subscript(i: Int, j: Int) -> Float {
        get {
            switch i {
            case 0: return row0[j]
            case 1: return row1[j]
            default: return row2[j]
            }
        }
        set {
            switch i {
            case 0: row0[j] = newValue
            case 1: row1[j] = newValue
            default: row2[j] = newValue
            }
        }
    }

    /// Row `i` (0...2).
    public func row(_ i: Int) -> SIMD3<Float> { i == 0 ? row0 : (i == 1 ? row1 : row2) }

    /// Column `j` (0...2).
    public func column(_ j: Int) -> SIMD3<Float> { SIMD3(row0[j], row1[j], row2[j]) }

    /// The nine elements, row-major.
    public var elements: [Float] { [row0.x, row0.y, row0.z, row1.x, row1.y, row1.z, row2.x, row2.y, row2.z] }

    /// The transpose.
    public var transposed: Matrix3 { Matrix3(columns: row0, row1, row2) }

    /// Matrix product `a · b`.
    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        func r(_ ar: SIMD3<Float>) -> SIMD3<Float> {
            var out = ar.x * b.row0
            out += ar.y * b.row1
            out += ar.z * b.row2
            return out
        }
        return Matrix3(rows: r(a.row0), r(a.row1), r(a.row2))
    }

    /// Matrix-vector product `m · v`.
    public static func * (m: Matrix3, v: SIMD3<Float>) -> SIMD3<Float> {
        func dot(_ r: SIMD3<Float>) -> Float {
            var s = r.x * v.x
            s += r.y * v.y
            s += r.z * v.z
            return s
        }
        return SIMD3(dot(m.row0), dot(m.row1), dot(m.row2))
    }

    /// Elementwise difference (used for the SMPL pose features `R − I`).
    public static func - (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(rows: a.row0 - b.row0, a.row1 - b.row1, a.row2 - b.row2)
    }
}
