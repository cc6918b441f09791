/// The frame-stage crossing search, variant B (SPEC F10, `calculate_intersections_withlbs_with_deform`):
/// per ray and level, the first interval nearest the camera where the level field crosses the level
/// downwards (inclusive), and the interpolation weights of the intersection.
public enum CrossingSearch {
    /// `|s_h − s_l|` above which the intersection is interpolated (else it is the far sample).
    public static let interpolationThreshold = Float(0.05)

    /// One (ray, level) result.
    public struct Crossing: Sendable, Equatable {
        /// Interval `idx`: the crossing lies between samples `idx` and `idx + 1`.
        public var index: Int
        /// `s[idx]` and `s[idx + 1]`.
        public var low: Float, high: Float
        /// The level.
        public var level: Float
        /// `cond`: the interval crosses the level downwards (`s_h − l ≤ 0` and `l − s_l ≤ 0`).
        public var isValid: Bool

        @inlinable
        public init(index: Int, low: Float, high: Float, level: Float, isValid: Bool) {
            self.index = index; self.low = low; self.high = high; self.level = level; self.isValid = isValid
        }

        /// Whether the intersection is interpolated (`cond` and `|s_h − s_l| > 0.05`) rather than `A_h`.
        @inlinable public var interpolates: Bool { isValid && abs(high - low) > CrossingSearch.interpolationThreshold }

        /// `((s_h − l)·A_l + (l − s_l)·A_h) / den` when interpolating (`den = s_h − s_l`), else `A_h`, with
        /// the literal grouping of SPEC F10.
        @inlinable
        public func interpolate(_ al: SIMD3<Float>, _ ah: SIMD3<Float>) -> SIMD3<Float> {
            guard interpolates else { return ah }
            let a = (high - level) * al
            let b = (level - low) * ah
            return (a + b) / (high - low)
        }
    }

    /// The crossing of `level` along one ray's level field `s` (`count ≥ 2` samples at `s[start]`,
    /// `s[start + 1]`, …).
    ///
    /// SPEC F10 takes `idx = argmax_q r[q]` (first index on ties) with `r[q] = +cost[q]` where the interval
    /// crosses and `−cost[q]` elsewhere, `cost = linspace(count − 1, 0, count − 1)`. The costs are strictly
    /// decreasing and positive except the last (0), so the argmax is the first crossing interval if one
    /// exists before the last interval, and the last interval otherwise (its `±0` is then the maximum, with
    /// `cond` deciding validity). This scan computes exactly that without the ramp; NaN samples compare
    /// false and never cross, as in the reference.
    @inlinable
    public static func find(_ s: UnsafeBufferPointer<Float>, start: Int, count: Int, level l: Float) -> Crossing {
        let last = count - 2
        var idx = last
        for q in 0..<last {
            let sl = s[start + q], sh = s[start + q + 1]
            if sh - l <= 0 && l - sl <= 0 { idx = q; break }
        }
        let sl = s[start + idx], sh = s[start + idx + 1]
        return Crossing(index: idx, low: sl, high: sh, level: l, isValid: sh - l <= 0 && l - sl <= 0)
    }
}
