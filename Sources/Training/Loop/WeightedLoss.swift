import Autodiff
import Numerics

/// The weighted loss terms of one sample on one tape: their sum for `backward` and its value for the
/// metrics. A term of weight 0 is reported but adds nothing to the gradient.
struct WeightedLoss {
    /// `Σ weight·term·share` on the tape; nil while no weighted term was added.
    private(set) var total: Variable?
    /// `Σ weight·value` (without `share`).
    private(set) var value = 0.0

    /// Adds `term` (one element) with `weight`, scaled by `share` (the sample's share of the batch) in the
    /// gradient; returns the term's value.
    @discardableResult
    mutating func add(_ term: Variable, weight: Double, share: Double, on tape: Tape) throws -> Double {
        let termValue = Double(try tape.value(term).scalars[0])
        guard weight > 0 else { return termValue }
        value += weight * termValue
        let weighted = try tape.affine(term, scale: Float(weight) * Float(share))
        total = try total.map { try tape.add($0, weighted) } ?? weighted
        return termValue
    }
}

/// Gradients summed over the samples of a micro-batch, one slot per parameter (nil: none yet).
struct GradientSums {
    private(set) var sums: [Tensor?]

    init(count: Int) { sums = Array(repeating: nil, count: count) }

    /// Adds one sample's gradients (nil entries are skipped).
    mutating func add(_ gradients: [Tensor?]) throws {
        for (i, g) in gradients.enumerated() {
            guard let g else { continue }
            if sums[i] == nil { sums[i] = g } else { try sums[i]?.add(g) }
        }
    }
}
