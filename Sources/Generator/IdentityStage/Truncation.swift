/// Truncation of the identity stage (SPEC I3, I10).
public enum Truncation {
    /// `average·(1 − ψ) + raw·ψ` (I3): `1 − ψ` formed in float64 and rounded to float32, ψ rounded to
    /// float32; the two products are rounded, then summed.
    public static func truncate(average: [Float], raw: [Float], psi: Double) -> [Float] {
        precondition(average.count == raw.count, "Truncation: \(average.count) averages for \(raw.count) values")
        let oneMinus = Float(1.0 - psi)
        let weight = Float(psi)
        return zip(average, raw).map { a, r in
            let left = a * oneMinus
            let right = r * weight
            return left + right
        }
    }

    /// PyTorch's `lerp(a, b, w)` (A.9): `a + w·(b − a)` if `|w| < 0.5`, else `b − (b − a)·(1 − w)`,
    /// in float32 with `w` rounded to float32.
    public static func lerp(_ a: [Float], _ b: [Float], weight: Double) -> [Float] {
        precondition(a.count == b.count, "lerp: \(a.count) and \(b.count) values")
        let w = Float(weight)
        if abs(w) < 0.5 {
            return zip(a, b).map { a, b in
                let d = b - a
                let scaled = w * d
                return a + scaled
            }
        }
        let oneMinus = 1 - w
        return zip(a, b).map { a, b in
            let d = b - a
            let scaled = d * oneMinus
            return b - scaled
        }
    }

    /// The SR style actually used (I10): `lerp(avg_style, style, ψ)` when `ψ < 1`, else `style`.
    public static func style(average: [Float], style: [Float], psi: Double) -> [Float] {
        psi < 1 ? lerp(average, style, weight: psi) : style
    }
}
