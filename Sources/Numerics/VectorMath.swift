import Foundation

/// An elementwise function over float32 buffers.
public enum ElementwiseFunction: Sendable, Equatable {
    /// `max(x, 0)` (NaN stays NaN).
    case relu
    /// `x` if `x >= 0`, else `slope · x`.
    case leakyReLU(slope: Float)
    /// `1 / (1 + exp(−x))`.
    case sigmoid
    /// `x` if `x > 20`, else `log1p(exp(x))` with `exp(x)` rounded to float32 first, as PyTorch computes it
    /// (beta 1, threshold 20; SPEC.md A.8).
    case softplus
    case exp
    case log1p
    case sin
}

/// Vectorised elementwise math over float32 buffers (8 lanes at a time).
///
/// `sin`, `exp`, `log1p` and `sigmoid` evaluate in Double from the float input and round once, so results
/// are within about 0.5 ulp of the exact value (`sin`: argument reduction by `k = round(x·2/π)` with a
/// two-part π/2, exact for |x| < 1e5; larger arguments, infinities and NaN take the libm path).
///
/// The plain functions are single-threaded (use them on tiles inside parallel loops); `applyParallel`
/// splits large buffers over `Parallel.workerCount` threads. Input and output may be the same buffer.
public enum VectorMath {
    /// Below this many elements `applyParallel` stays on the calling thread.
    public static let parallelThreshold = 1 << 15

    /// `y[i] = f(x[i])` for `i < count`, on the calling thread.
    public static func apply(_ function: ElementwiseFunction, _ x: UnsafePointer<Float>,
                             _ y: UnsafeMutablePointer<Float>, count: Int) {
        switch function {
        case .relu: relu(x, y, count: count)
        case let .leakyReLU(slope): leakyReLU(x, y, count: count, slope: slope)
        case .sigmoid: sigmoid(x, y, count: count)
        case .softplus: softplus(x, y, count: count)
        case .exp: exp(x, y, count: count)
        case .log1p: log1p(x, y, count: count)
        case .sin: sin(x, y, count: count)
        }
    }

    /// `y[i] = f(x[i])` for `i < count`, split over the workers when `count >= parallelThreshold`.
    /// Do not call from inside a `Parallel` region (use `apply` there).
    public static func applyParallel(_ function: ElementwiseFunction, _ x: UnsafePointer<Float>,
                                     _ y: UnsafeMutablePointer<Float>, count: Int) {
        let workers = Parallel.workerCount
        guard count >= parallelThreshold, workers > 1 else { return apply(function, x, y, count: count) }
        // Chunks of a multiple of 8 elements, a few per worker for balance.
        let chunk = ((count + 4 * workers - 1) / (4 * workers) + 7) & ~7
        let chunks = (count + chunk - 1) / chunk
        Parallel.forEach(chunks) { c in
            let start = c * chunk
            apply(function, x + start, y + start, count: min(chunk, count - start))
        }
    }

    // MARK: - Buffer loops

    /// Runs `kernel` over full 8-lane blocks, then once over the zero-padded remainder.
    @inline(__always)
    static func map8(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                     _ kernel: (SIMD8<Float>) -> SIMD8<Float>) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: kernel(v), as: SIMD8<Float>.self)
            i += 8
        }
        if i < count {
            var v = SIMD8<Float>(repeating: 0)
            for j in 0..<(count - i) { v[j] = x[i + j] }
            let r = kernel(v)
            for j in 0..<(count - i) { y[i + j] = r[j] }
        }
    }

    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map8(x, y, count: count) { v in v.replacing(with: 0, where: v .< 0) }
    }

    public static func leakyReLU(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
        map8(x, y, count: count) { v in (v * slope).replacing(with: v, where: v .>= 0) }
    }

    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map8(x, y, count: count, sigmoid8)
    }

    public static func softplus(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map8(x, y, count: count, softplus8)
    }

    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map8(x, y, count: count, exp8)
    }

    public static func log1p(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map8(x, y, count: count, log1p8)
    }

    public static func sin(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map8(x, y, count: count, sin8)
    }

    /// The FiLM-SIREN activation (SPEC.md §2.0) on a `[rows, width]` buffer of linear-layer outputs:
    /// `y[r, j] = sin(x[r, j] · frequencies[j] + phases[j])`, the product and the sum each rounded to
    /// float32 (no fused multiply-add), then `sin` as `VectorMath.sin`. Single-threaded.
    public static func filmSin(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                               frequencies: UnsafePointer<Float>, phases: UnsafePointer<Float>) {
        for r in 0..<rows {
            let src = x + r * width, dst = y + r * width
            var j = 0
            while j + 8 <= width {
                let v = UnsafeRawPointer(src + j).loadUnaligned(as: SIMD8<Float>.self)
                let f = UnsafeRawPointer(frequencies + j).loadUnaligned(as: SIMD8<Float>.self)
                let p = UnsafeRawPointer(phases + j).loadUnaligned(as: SIMD8<Float>.self)
                let product = v * f
                UnsafeMutableRawPointer(dst + j).storeBytes(of: sin8(product + p), as: SIMD8<Float>.self)
                j += 8
            }
            if j < width {
                var t = SIMD8<Float>(repeating: 0)
                for l in 0..<(width - j) {
                    let product = src[j + l] * frequencies[j + l]
                    t[l] = product + phases[j + l]
                }
                let r = sin8(t)
                for l in 0..<(width - j) { dst[j + l] = r[l] }
            }
        }
    }

    /// `filmSin` split over the workers by rows when the buffer is large. Not for use inside a `Parallel` region.
    public static func filmSinParallel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                                       frequencies: UnsafePointer<Float>, phases: UnsafePointer<Float>) {
        let workers = Parallel.workerCount
        guard rows * width >= parallelThreshold, workers > 1, width > 0 else {
            return filmSin(x, y, rows: rows, width: width, frequencies: frequencies, phases: phases)
        }
        let chunkRows = max(1, (rows + 4 * workers - 1) / (4 * workers))
        let chunks = (rows + chunkRows - 1) / chunkRows
        Parallel.forEach(chunks) { c in
            let r0 = c * chunkRows, n = min(chunkRows, rows - r0)
            filmSin(x + r0 * width, y + r0 * width, rows: n, width: width, frequencies: frequencies, phases: phases)
        }
    }

    // MARK: - 8-lane kernels

    typealias Doubles = SIMD8<Double>
    typealias Bits = SIMD8<UInt64>

    /// Adding then subtracting 1.5·2^52 rounds a Double with |v| < 2^51 to the nearest integer (ties to even);
    /// the low mantissa bits of the sum hold that integer modulo 2^51.
    static let roundingMagic: Double = 6755399441055744.0

    @inline(__always)
    static func widen(_ v: SIMD8<Float>) -> Doubles {
        Doubles(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]),
                Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7]))
    }

    @inline(__always)
    static func narrow(_ v: Doubles) -> SIMD8<Float> {
        SIMD8<Float>(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]),
                     Float(v[4]), Float(v[5]), Float(v[6]), Float(v[7]))
    }

    /// `v` limited to `[lo, hi]` (compare and blend; NaN lanes stay NaN).
    @inline(__always)
    static func clamp(_ v: Doubles, _ lo: Double, _ hi: Double) -> Doubles {
        v.replacing(with: lo, where: v .< lo).replacing(with: hi, where: v .> hi)
    }

    /// True when any lane of the mask is set (an OR of four 64-bit words: cheaper than `any` here).
    @inline(__always)
    static func anySet(_ mask: SIMDMask<SIMD8<Int32>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD4<UInt64>.self)
        return (words[0] | words[1] | words[2] | words[3]) != 0
    }

    /// Lanes where the fast path does not apply are recomputed with `scalar` (rare: special inputs).
    @inline(__always)
    static func fixLanes(_ result: inout SIMD8<Float>, _ x: SIMD8<Float>, _ bad: SIMDMask<SIMD8<Int32>>,
                         _ scalar: (Float) -> Float) {
        if anySet(bad) {
            for l in 0..<8 where bad[l] { result[l] = scalar(x[l]) }
        }
    }

    /// sin in Double on `[−π/2, π/2]`: `r · (1 + r²·P(r²))`, Taylor to r^13 (truncation below 7e-10
    /// relative, 0.012 float ulp), Horner with fused multiply-adds; `r · (…)` keeps the sign of ±0.
    @inline(__always)
    static func sinReduced(_ r: Doubles) -> Doubles {
        let r2 = r * r
        var p = Doubles(repeating: 1.0 / 6227020800.0)
        p = Doubles(repeating: -1.0 / 39916800.0).addingProduct(p, r2)
        p = Doubles(repeating: 1.0 / 362880.0).addingProduct(p, r2)
        p = Doubles(repeating: -1.0 / 5040.0).addingProduct(p, r2)
        p = Doubles(repeating: 1.0 / 120.0).addingProduct(p, r2)
        p = Doubles(repeating: -1.0 / 6.0).addingProduct(p, r2)
        return r * Doubles(repeating: 1).addingProduct(p, r2)
    }

    @inline(__always)
    static func sin8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let d = widen(x)
        // k = round(x / π); sin(x) = (−1)^k · sin(x − k·π).
        let q = d * 0.3183098861837907 + roundingMagic
        let k = q - roundingMagic
        // π = p1 + p2: p1 has 33 significant bits, so k·p1 and d − k·p1 are exact for |k| < 2^20.
        // (Plain products and sums here: `addingProduct` with these operands vectorises poorly.)
        let r = (d - k * 3.1415926534682512) - k * 1.2154201013012384e-10
        let sign = unsafeBitCast(q, to: Bits.self) &<< 63
        let v = unsafeBitCast(sinReduced(r), to: Bits.self) ^ sign
        var out = narrow(unsafeBitCast(v, to: Doubles.self))
        // |x| >= 1e5, infinities and NaN: libm in Double.
        fixLanes(&out, x, .!((x .< 1e5) .& (x .> -1e5))) { Float(Foundation.sin(Double($0))) }
        return out
    }

    /// e^d in Double for d in [−700, 700] (callers clamp), error below 1e-11 relative.
    @inline(__always)
    static func expDouble(_ d: Doubles) -> Doubles {
        let q = d * 1.4426950408889634 + roundingMagic
        let k = q - roundingMagic
        // ln 2 = hi + lo with hi's low bits zero (k·hi exact for |k| < 2^11).
        let r = (d - k * 0.6931471803691238) - k * 1.9082149292705877e-10
        var p = Doubles(repeating: 1.0 / 3628800.0)
        p = Doubles(repeating: 1.0 / 362880.0).addingProduct(p, r)
        p = Doubles(repeating: 1.0 / 40320.0).addingProduct(p, r)
        p = Doubles(repeating: 1.0 / 5040.0).addingProduct(p, r)
        p = Doubles(repeating: 1.0 / 720.0).addingProduct(p, r)
        p = Doubles(repeating: 1.0 / 120.0).addingProduct(p, r)
        p = Doubles(repeating: 1.0 / 24.0).addingProduct(p, r)
        p = Doubles(repeating: 1.0 / 6.0).addingProduct(p, r)
        p = Doubles(repeating: 0.5).addingProduct(p, r)
        p = Doubles(repeating: 1).addingProduct(p, r)
        p = Doubles(repeating: 1).addingProduct(p, r)
        // 2^k built from k's bits: the low bits of q hold k (two's complement); k + 1023 is in [1, 2046].
        let kBits = unsafeBitCast(q, to: Bits.self) &- Bits(repeating: roundingMagic.bitPattern)
        return p * unsafeBitCast((kBits &+ 1023) &<< 52, to: Doubles.self)
    }

    @inline(__always)
    static func exp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let d = clamp(widen(x), -110, 100)
        var out = narrow(expDouble(d))
        out.replace(with: x, where: x .!= x)  // NaN stays NaN
        return out
    }

    @inline(__always)
    static func sigmoid8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let d = clamp(widen(x), -200, 200)
        var out = narrow(1 / (1 + expDouble(-d)))
        out.replace(with: x, where: x .!= x)
        return out
    }

    /// log(1 + d) in Double for d > −1 finite: `u = 1 + d`, `log(u) = e·ln2 + 2·atanh(s)` with
    /// `u = 2^e·m`, `m ∈ [√½, √2)`, `s = (m − 1)/(m + 1)`, plus the rounding correction `(d − (u − 1)) / u`.
    @inline(__always)
    static func log1pDouble(_ d: Doubles) -> Doubles {
        let u = 1 + d
        let correction = (d - (u - 1)) / u
        let bits = unsafeBitCast(u, to: Bits.self)
        let mantissaBits = (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000
        var m = unsafeBitCast(mantissaBits, to: Doubles.self)
        // Exponent as a Double: (2^52 + e_biased) − (2^52 + 1023).
        var e = unsafeBitCast((bits &>> 52) | 0x4330_0000_0000_0000, to: Doubles.self) - (4503599627370496.0 + 1023)
        let big = m .> 1.4142135623730951
        m = m.replacing(with: m * 0.5, where: big)
        e = e.replacing(with: e + 1, where: big)
        let f = m - 1
        let s = f / (2 + f)
        let s2 = s * s
        var p = Doubles(repeating: 1.0 / 15.0)
        p = Doubles(repeating: 1.0 / 13.0).addingProduct(p, s2)
        p = Doubles(repeating: 1.0 / 11.0).addingProduct(p, s2)
        p = Doubles(repeating: 1.0 / 9.0).addingProduct(p, s2)
        p = Doubles(repeating: 1.0 / 7.0).addingProduct(p, s2)
        p = Doubles(repeating: 1.0 / 5.0).addingProduct(p, s2)
        p = Doubles(repeating: 1.0 / 3.0).addingProduct(p, s2)
        let logM = 2 * s + 2 * s * s2 * p
        return e * 0.6931471805599453 + logM + correction
    }

    @inline(__always)
    static func log1p8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Fast path for −1 < x < 3e38 (finite); −1, below −1, +inf and NaN take libm.
        let ok = (x .> -1) .& (x .< 3e38)
        let d = widen(x.replacing(with: 0, where: .!ok))
        var out = narrow(log1pDouble(d))
        fixLanes(&out, x, .!ok) { Foundation.log1p($0) }
        return out
    }

    @inline(__always)
    static func softplus8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let d = clamp(widen(x), -110, 20)
        // PyTorch rounds exp(x) to float32 before log1p.
        let e = widen(narrow(expDouble(d)))
        var out = narrow(log1pDouble(e))
        out.replace(with: x, where: (x .> 20) .| (x .!= x))
        return out
    }
}

extension Tensor {
    /// A new tensor with `function` applied to every element (parallel for large tensors).
    public func applying(_ function: ElementwiseFunction) -> Tensor {
        var out = self
        out.apply(function)
        return out
    }

    /// Applies `function` to every element in place (parallel for large tensors).
    public mutating func apply(_ function: ElementwiseFunction) {
        withUnsafeMutableBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            VectorMath.applyParallel(function, p, p, count: buffer.count)
        }
    }
}
