import Foundation
import Numerics

/// xoshiro256**, seeded by four SplitMix64 outputs.
struct Xoshiro256StarStar {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A uniform index in `0..<n`: the high word of `next() * n`.
    mutating func index(below n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// `count` standard normals by Box–Muller in Double, both outputs of each pair used.
    mutating func normals(_ count: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(count + 1)
        while out.count < count {
            let u1 = Double((next() >> 11) + 1) * 0x1p-53
            let u2 = Double(next() >> 11) * 0x1p-53
            let r = (-2 * Foundation.log(u1)).squareRoot()
            out.append(r * Foundation.cos(2 * Double.pi * u2))
            out.append(r * Foundation.sin(2 * Double.pi * u2))
        }
        return Array(out.prefix(count))
    }
}

/// Seed → identity codes, the same everywhere (studio, render, truncation means; DESIGN.md §4).
public enum SeedCodes {
    /// The codes of `seed`: with an identity+shape sampler `[N, identityDim + shapeDim]` the first draw
    /// picks its row; then `noiseDim` normals. Without a sampler, `identityDim` normals come first and
    /// shape is zero.
    public static func codes(seed: UInt32, identityDim: Int, shapeDim: Int, noiseDim: Int,
                             idShapeSampler: Tensor?) -> IdentityCodes {
        var rng = Xoshiro256StarStar(seed: UInt64(seed))
        var identity: [Float]
        var shape: [Float]
        if let sampler = idShapeSampler, sampler.rank == 2, sampler.shape[0] > 0,
           sampler.shape[1] == identityDim + shapeDim {
            let row = rng.index(below: sampler.shape[0])
            let width = sampler.shape[1]
            let values = sampler.withUnsafeBufferPointer { Array($0[(row * width)..<((row + 1) * width)]) }
            identity = Array(values[0..<identityDim])
            shape = Array(values[identityDim...])
        } else {
            identity = rng.normals(identityDim).map { Float($0) }
            shape = Array(repeating: 0, count: shapeDim)
        }
        let noise = rng.normals(noiseDim).map { Float($0) }
        return IdentityCodes(identity: identity, shape: shape, noise: noise)
    }

    /// The codes at `seed + blend` (blend in [0, 1)): identity and shape linear between the two seeds,
    /// noise as `((1-b)·n0 + b·n1) / sqrt((1-b)² + b²)` so that it stays N(0, 1).
    public static func codes(seed: UInt32, blend: Double, identityDim: Int, shapeDim: Int, noiseDim: Int,
                             idShapeSampler: Tensor?) -> IdentityCodes {
        let a = codes(seed: seed, identityDim: identityDim, shapeDim: shapeDim, noiseDim: noiseDim,
                      idShapeSampler: idShapeSampler)
        guard blend > 0 else { return a }
        let b = codes(seed: seed &+ 1, identityDim: identityDim, shapeDim: shapeDim, noiseDim: noiseDim,
                      idShapeSampler: idShapeSampler)
        let wa = 1 - blend, wb = blend
        let norm = (wa * wa + wb * wb).squareRoot()
        func linear(_ x: [Float], _ y: [Float]) -> [Float] {
            zip(x, y).map { Float(wa * Double($0) + wb * Double($1)) }
        }
        let noise = zip(a.noise, b.noise).map { Float((wa * Double($0) + wb * Double($1)) / norm) }
        return IdentityCodes(identity: linear(a.identity, b.identity), shape: linear(a.shape, b.shape), noise: noise)
    }
}
