/// Kernels of dense layers that BLAS does badly or that save passes over memory: the bias and activation
/// applied in one pass after a GEMM, the FiLM sine fused with the bias, and products with at most four
/// output columns (where a GEMM packs the whole input for a few dot products).
///
/// Single-threaded (use them on tiles inside parallel loops); vectorised 8 lanes at a time with FMA.
public enum DenseKernels {
    /// In place on `y` `[rows, width]`: `y[r, j] = activation(y[r, j] + bias[j])`, the sum rounded to
    /// float32 first (the same value as a GEMM accumulating onto a bias-filled output). `activation` is
    /// `.relu`, `.leakyReLU` or nil for none; other functions are applied after the sum by `VectorMath.apply`.
    public static func addBias(_ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>,
                               activation: ElementwiseFunction?) {
        switch activation {
        case nil: addBias(y, rows: rows, width: width, bias: bias) { $0 }
        case .relu?: addBias(y, rows: rows, width: width, bias: bias) { $0.replacing(with: 0, where: $0 .< 0) }
        case let .leakyReLU(slope)?:
            addBias(y, rows: rows, width: width, bias: bias) { ($0 * slope).replacing(with: $0, where: $0 .>= 0) }
        case let function?:
            addBias(y, rows: rows, width: width, bias: bias) { $0 }
            VectorMath.apply(function, y, y, count: rows * width)
        }
    }

    @inline(__always)
    static func addBias(_ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>,
                        _ activation: (SIMD8<Float>) -> SIMD8<Float>) {
        for r in 0..<rows {
            let row = y + r * width
            var j = 0
            while j + 8 <= width {
                let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                    + UnsafeRawPointer(bias + j).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(row + j).storeBytes(of: activation(v), as: SIMD8<Float>.self)
                j += 8
            }
            if j < width {
                var v = SIMD8<Float>(repeating: 0)
                for l in 0..<(width - j) { v[l] = row[j + l] + bias[j + l] }
                let a = activation(v)
                for l in 0..<(width - j) { row[j + l] = a[l] }
            }
        }
    }

    /// The FiLM-SIREN layer's elementwise part on GEMM outputs without bias, in place on `y` `[rows, width]`:
    /// `y[r, j] = sin(((y[r, j] + bias[j]) · frequencies[j]) + phases[j])`, every step rounded to float32
    /// (the same values as `VectorMath.filmSin` on a bias-accumulated GEMM output).
    public static func filmSin(_ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>,
                               frequencies: UnsafePointer<Float>, phases: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = y + r * width
            var j = 0
            while j + 8 <= width {
                let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                let b = UnsafeRawPointer(bias + j).loadUnaligned(as: SIMD8<Float>.self)
                let f = UnsafeRawPointer(frequencies + j).loadUnaligned(as: SIMD8<Float>.self)
                let p = UnsafeRawPointer(phases + j).loadUnaligned(as: SIMD8<Float>.self)
                let linear = v + b
                let product = linear * f
                UnsafeMutableRawPointer(row + j).storeBytes(of: VectorMath.sin8(product + p), as: SIMD8<Float>.self)
                j += 8
            }
            if j < width {
                var t = SIMD8<Float>(repeating: 0)
                for l in 0..<(width - j) {
                    let linear = row[j + l] + bias[j + l]
                    let product = linear * frequencies[j + l]
                    t[l] = product + phases[j + l]
                }
                let s = VectorMath.sin8(t)
                for l in 0..<(width - j) { row[j + l] = s[l] }
            }
        }
    }

    /// Largest input count `smallInputProduct` takes.
    public static let smallInputLimit = 4

    /// `output[r, o] = activation((Σ_i input[r·lda + i]·weightT[i·n + o]) + bias[o])` for `r < rows`, `o < n`
    /// and `k` at most `smallInputLimit` inputs, with the weight given transposed (`[k, n]`): the products
    /// accumulate in input order with fused multiply-adds, as a GEMM's kernel does, then the bias and the
    /// activation (`.relu`, `.leakyReLU` or nil) follow in the same pass.
    public static func smallInputProduct(_ input: UnsafePointer<Float>, rows: Int, k: Int, lda: Int,
                                         weightTransposed: UnsafePointer<Float>, n: Int, bias: UnsafePointer<Float>,
                                         activation: ElementwiseFunction?, output: UnsafeMutablePointer<Float>) {
        precondition(k >= 1 && k <= smallInputLimit && lda >= k && n >= 1,
                     "DenseKernels.smallInputProduct: k \(k), lda \(lda), n \(n)")
        switch activation {
        case nil: smallInputProduct(input, rows, k, lda, weightTransposed, n, bias, output) { $0 }
        case .relu?: smallInputProduct(input, rows, k, lda, weightTransposed, n, bias, output) { $0.replacing(with: 0, where: $0 .< 0) }
        case let .leakyReLU(slope)?:
            smallInputProduct(input, rows, k, lda, weightTransposed, n, bias, output) {
                ($0 * slope).replacing(with: $0, where: $0 .>= 0)
            }
        case let function?:
            smallInputProduct(input, rows, k, lda, weightTransposed, n, bias, output) { $0 }
            VectorMath.apply(function, output, output, count: rows * n)
        }
    }

    @inline(__always)
    static func smallInputProduct(_ input: UnsafePointer<Float>, _ rows: Int, _ k: Int, _ lda: Int,
                                  _ wt: UnsafePointer<Float>, _ n: Int, _ bias: UnsafePointer<Float>,
                                  _ output: UnsafeMutablePointer<Float>, _ activation: (SIMD8<Float>) -> SIMD8<Float>) {
        func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        let blocks = n / 8 * 8
        for r in 0..<rows {
            let x = input + r * lda
            let out = output + r * n
            var o = 0
            while o < blocks {
                var acc = SIMD8<Float>(repeating: x[0]) * load(wt + o)
                for i in 1..<k { acc = acc.addingProduct(SIMD8<Float>(repeating: x[i]), load(wt + i * n + o)) }
                UnsafeMutableRawPointer(out + o).storeBytes(of: activation(acc + load(bias + o)), as: SIMD8<Float>.self)
                o += 8
            }
            if o < n {
                var v = SIMD8<Float>(repeating: 0)
                for l in 0..<(n - o) {
                    var acc = x[0] * wt[o + l]
                    for i in 1..<k { acc = acc.addingProduct(x[i], wt[i * n + o + l]) }
                    v[l] = acc + bias[o + l]
                }
                let a = activation(v)
                for l in 0..<(n - o) { out[o + l] = a[l] }
            }
        }
    }

    /// Largest output count `smallOutputProduct` takes.
    public static let smallOutputLimit = 4

    /// `output[r, o] = (Σ_i input[r·lda + i]·weight[o·k + i]) + bias[o]` for `r < rows`, `o < n`, `n` at most
    /// `smallOutputLimit`: one pass over each input row (8-lane FMA partial sums, then their total; the
    /// summation order differs from BLAS's, so results may differ from a GEMM in the last bits).
    public static func smallOutputProduct(_ input: UnsafePointer<Float>, rows: Int, k: Int, lda: Int,
                                          weight: UnsafePointer<Float>, n: Int, bias: UnsafePointer<Float>,
                                          output: UnsafeMutablePointer<Float>) {
        precondition(n >= 1 && n <= smallOutputLimit && lda >= k, "DenseKernels.smallOutputProduct: n \(n), k \(k), lda \(lda)")
        // Rows of the weight for outputs 0...3 (repeating the last one when n < 4; its sums are not stored).
        let w0 = weight, w1 = weight + min(1, n - 1) * k, w2 = weight + min(2, n - 1) * k, w3 = weight + min(3, n - 1) * k
        let blocks = k / 8 * 8
        for r in 0..<rows {
            let row = input + r * lda
            var a0 = SIMD8<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
            var i = 0
            while i < blocks {
                let x = UnsafeRawPointer(row + i).loadUnaligned(as: SIMD8<Float>.self)
                a0 = a0.addingProduct(x, UnsafeRawPointer(w0 + i).loadUnaligned(as: SIMD8<Float>.self))
                a1 = a1.addingProduct(x, UnsafeRawPointer(w1 + i).loadUnaligned(as: SIMD8<Float>.self))
                a2 = a2.addingProduct(x, UnsafeRawPointer(w2 + i).loadUnaligned(as: SIMD8<Float>.self))
                a3 = a3.addingProduct(x, UnsafeRawPointer(w3 + i).loadUnaligned(as: SIMD8<Float>.self))
                i += 8
            }
            var sums = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
            while i < k {
                let x = row[i]
                sums += SIMD4(x * w0[i], x * w1[i], x * w2[i], x * w3[i])
                i += 1
            }
            let out = output + r * n
            for o in 0..<n { out[o] = sums[o] + bias[o] }
        }
    }
}
