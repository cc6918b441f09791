/// The Fréchet distance between two Gaussians fitted to feature vectors (as in FID, but over whatever
/// features the caller supplies: `portrait eval` uses the landmark network's penultimate features, so
/// its figure is *not* Inception FID):
/// `‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2·(Σ₁^½ Σ₂ Σ₁^½)^½)`, in Float64.
public enum FrechetDistance {
    /// Mean `[d]` and covariance `[d·d]` (row-major, divided by `n − 1`) of `n ≥ 2` feature rows.
    public static func statistics(_ rows: [[Double]]) -> (mean: [Double], covariance: [Double]) {
        let n = rows.count, d = rows.first?.count ?? 0
        precondition(n >= 2 && rows.allSatisfy { $0.count == d }, "FrechetDistance: need ≥ 2 rows of equal length")
        var mean = [Double](repeating: 0, count: d)
        for row in rows { for j in 0..<d { mean[j] += row[j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        var covariance = [Double](repeating: 0, count: d * d)
        for row in rows {
            for i in 0..<d {
                let a = row[i] - mean[i]
                for j in i..<d { covariance[i * d + j] += a * (row[j] - mean[j]) }
            }
        }
        for i in 0..<d {
            for j in i..<d {
                covariance[i * d + j] /= Double(n - 1)
                covariance[j * d + i] = covariance[i * d + j]
            }
        }
        return (mean, covariance)
    }

    /// The distance between the Gaussians of two sets of feature rows.
    public static func distance(_ a: [[Double]], _ b: [[Double]]) -> Double {
        let (m1, s1) = statistics(a), (m2, s2) = statistics(b)
        return distance(mean1: m1, covariance1: s1, mean2: m2, covariance2: s2)
    }

    /// The distance from the statistics (`covariance` row-major `[d·d]`, symmetric positive semi-definite).
    public static func distance(mean1: [Double], covariance1: [Double], mean2: [Double], covariance2: [Double]) -> Double {
        let d = mean1.count
        var meanTerm = 0.0
        for j in 0..<d { meanTerm += (mean1[j] - mean2[j]) * (mean1[j] - mean2[j]) }
        let root1 = SymmetricEigen(covariance1, dimension: d).applying { $0 > 0 ? $0.squareRoot() : 0 }
        let middle = multiply(multiply(root1, covariance2, d), root1, d)
        let crossTrace = SymmetricEigen(middle, dimension: d).values.reduce(0) { $0 + ($1 > 0 ? $1.squareRoot() : 0) }
        var trace = 0.0
        for j in 0..<d { trace += covariance1[j * d + j] + covariance2[j * d + j] }
        return meanTerm + trace - 2 * crossTrace
    }

    static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for k in 0..<d {
                let x = a[i * d + k]
                if x == 0 { continue }
                for j in 0..<d { out[i * d + j] += x * b[k * d + j] }
            }
        }
        return out
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (Float64).
struct SymmetricEigen {
    /// Eigenvalues, and eigenvectors as the columns of `vectors` (row-major `[d·d]`).
    let values: [Double]
    let vectors: [Double]
    let dimension: Int

    init(_ matrix: [Double], dimension d: Int) {
        var a = matrix
        // Symmetrise (covariances accumulate rounding differently above and below the diagonal).
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { let m = (a[i * d + j] + a[j * d + i]) / 2; a[i * d + j] = m; a[j * d + i] = m } }
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0, diagonal = 0.0
            for i in 0..<d {
                diagonal += a[i * d + i] * a[i * d + i]
                for j in (i + 1)..<max(i + 1, d) { off += a[i * d + j] * a[i * d + j] }
            }
            if off <= 1e-30 * max(diagonal, 1e-300) { break }
            for p in 0..<d {
                for q in (p + 1)..<max(p + 1, d) where a[p * d + q] != 0 {
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<d {                                  // A ← A·J
                        let akp = a[k * d + p], akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0..<d {                                  // A ← Jᵀ·A
                        let apk = a[p * d + k], aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0..<d {                                  // V ← V·J
                        let vkp = v[k * d + p], vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        values = (0..<d).map { a[$0 * d + $0] }
        vectors = v
        dimension = d
    }

    /// `V·f(Λ)·Vᵀ`: the matrix function `f` applied through the eigenvalues.
    func applying(_ f: (Double) -> Double) -> [Double] {
        let d = dimension
        let mapped = values.map(f)
        var out = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var sum = 0.0
                for k in 0..<d { sum += vectors[i * d + k] * mapped[k] * vectors[j * d + k] }
                out[i * d + j] = sum
            }
        }
        return out
    }
}
