/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seedable 64-bit generator. It seeds
/// xoshiro256** for seed codes, and makes reproducible test data and mutations everywhere else.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The internal state; advancing it by the golden-ratio increment gives the next output.
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (0 when `n <= 0`) by the modulo of the next output.
    public mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}
