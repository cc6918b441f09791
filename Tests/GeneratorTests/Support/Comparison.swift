import Numerics

/// Error statistics of an implementation against reference values (all in Double).
struct Comparison: CustomStringConvertible {
    let count: Int
    let maxAbs: Double
    /// `max |impl − ref| / max(|ref|, 1)`.
    let maxRel: Double
    let meanAbs: Double
    /// Index of the largest absolute error.
    let worstIndex: Int

    init(_ impl: [Float], _ ref: [Float], where include: ((Int) -> Bool)? = nil) {
        precondition(impl.count == ref.count, "Comparison: \(impl.count) vs \(ref.count) values")
        var maxAbs = 0.0, maxRel = 0.0, sum = 0.0, n = 0, worst = -1
        for i in 0..<impl.count where include?(i) ?? true {
            let e = abs(Double(impl[i]) - Double(ref[i]))
            let err = e.isNaN ? Double.infinity : e
            if err > maxAbs || worst < 0 { maxAbs = max(maxAbs, err); worst = i }
            maxRel = max(maxRel, err / max(abs(Double(ref[i])), 1))
            sum += err
            n += 1
        }
        count = n
        self.maxAbs = maxAbs
        self.maxRel = maxRel
        meanAbs = n > 0 ? sum / Double(n) : 0
        worstIndex = worst
    }

    init(_ impl: Tensor, _ ref: Tensor, where include: ((Int) -> Bool)? = nil) {
        self.init(impl.scalars, ref.scalars, where: include)
    }

    var description: String {
        "max abs \(format(maxAbs)), max rel \(format(maxRel)), mean abs \(format(meanAbs)) over \(count) values"
    }
}

/// Fraction of entries (among those `include` accepts) with `|impl − ref| <= tolerance`.
func fractionWithin(_ impl: [Float], _ ref: [Float], _ tolerance: Double, where include: (Int) -> Bool = { _ in true }) -> (fraction: Double, count: Int) {
    var ok = 0, n = 0
    for i in 0..<impl.count where include(i) {
        n += 1
        if abs(Double(impl[i]) - Double(ref[i])) <= tolerance { ok += 1 }
    }
    return (n == 0 ? 1 : Double(ok) / Double(n), n)
}

/// Short scientific formatting for test output.
func format(_ x: Double) -> String {
    if x == 0 { return "0" }
    let e = Int((log10(abs(x))).rounded(.down))
    let m = x / pow(10, Double(e))
    return "\((m * 100).rounded() / 100)e\(e)"
}

import Foundation
