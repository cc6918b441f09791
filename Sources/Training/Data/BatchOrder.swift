import Numerics

/// The order in which a training run visits a corpus: epoch after epoch, each a seeded random permutation
/// of the images (Fisher–Yates over `SplitMix64(seed ⊕ epoch-mix)`). The position (`epoch`, `offset`) is
/// the whole state: save it in a checkpoint and the run resumes with the same batches.
public struct BatchOrder: Codable, Sendable, Equatable {
    public let seed: UInt64
    /// Number of images.
    public let count: Int
    /// Current epoch (0-based) and the next position in its permutation.
    public private(set) var epoch: Int
    public private(set) var offset: Int

    public init(seed: UInt64, count: Int, epoch: Int = 0, offset: Int = 0) throws {
        guard count > 0, epoch >= 0, (0..<count).contains(offset) else {
            throw TrainingError.invalidArgument(operation: "BatchOrder",
                                                reason: "count \(count), epoch \(epoch), offset \(offset) (needs count > 0, 0 <= offset < count)")
        }
        self.seed = seed
        self.count = count
        self.epoch = epoch
        self.offset = offset
    }

    /// The permutation of epoch `epoch`.
    public func permutation(epoch: Int) -> [Int] {
        var generator = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0xD1B5_4A32_D192_ED03 &+ 0x5851_F42D_4C95_7F2D))
        var order = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, generator.below(i + 1)) }
        }
        return order
    }

    /// The next `size` image indices (continuing into the next epoch's permutation at the end of one).
    public mutating func next(_ size: Int) -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(max(size, 0))
        var current = permutation(epoch: epoch)
        while indices.count < size {
            indices.append(current[offset])
            offset += 1
            if offset == count {
                offset = 0
                epoch += 1
                current = permutation(epoch: epoch)
            }
        }
        return indices
    }
}
