import CBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Single-precision matrix products through OpenBLAS (row-major).
public enum GEMM {
    /// `C = alpha · op(A) · op(B) + beta · C` with `op(A)` `[m, k]`, `op(B)` `[k, n]`, `C` `[m, n]`,
    /// row-major with leading dimensions `lda`, `ldb`, `ldc` (elements between rows as stored).
    public static func sgemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        OpenBLASKernels.configured
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets OpenBLAS's global thread count. OpenBLAS 0.3.21 has no per-call count: call this only from
    /// the one thread that calls BLAS, never while other threads may be inside BLAS.
    public static func setThreads(_ count: Int) {
        OpenBLASKernels.configured
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS's current global thread count.
    public static var threads: Int {
        OpenBLASKernels.configured
        return Int(openblas_get_num_threads())
    }

    /// The OpenBLAS kernel family in use (e.g. `SkylakeX`, `Haswell`), after the automatic choice of
    /// `OpenBLASKernels` (which replaces OpenBLAS's SSE3 fallback on CPUs it does not recognise).
    public static var kernelCore: String {
        OpenBLASKernels.configured
        return OpenBLASKernels.coreName
    }
}

extension Tensor {
    /// Matrix product of two rank-2 tensors: `op(self) · op(other)`.
    public func matmul(_ other: Tensor, transposeSelf: Transpose = .none,
                       transposeOther: Transpose = .none) throws -> Tensor {
        guard rank == 2, other.rank == 2 else {
            throw NumericsError.invalidArgument(operation: "matmul",
                                                reason: "needs rank-2 operands, got \(shape) and \(other.shape)")
        }
        let (m, k) = transposeSelf == .none ? (shape[0], shape[1]) : (shape[1], shape[0])
        let (k2, n) = transposeOther == .none ? (other.shape[0], other.shape[1]) : (other.shape[1], other.shape[0])
        guard k == k2 else {
            throw NumericsError.shapeMismatch(operation: "matmul", got: shape, expected: other.shape)
        }
        var out = Tensor.zeros([m, n])
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    GEMM.sgemm(transposeSelf, transposeOther, m: m, n: n, k: k,
                               a: a.baseAddress!, lda: shape[1], b: b.baseAddress!, ldb: other.shape[1],
                               c: c.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }
}
