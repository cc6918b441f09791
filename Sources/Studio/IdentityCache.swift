import Generator

/// The render worker's least-recently-used cache of prepared identities, keyed by (codes, ψ) and bounded
/// by bytes. Owned by the worker thread alone.
final class IdentityCache {
    /// Exact key: the model (index into the worker's models), the bit patterns of the three codes and of ψ.
    struct Key: Hashable {
        let model: Int
        let bits: [UInt32]
        let psi: UInt64
        init(model: Int = 0, codes: IdentityCodes, psi: Double) {
            self.model = model
            bits = (codes.identity + codes.shape + codes.noise).map(\.bitPattern)
                + [UInt32(codes.identity.count), UInt32(codes.shape.count)]
            self.psi = psi.bitPattern
        }
    }

    private var entries: [Key: PreparedIdentity] = [:]
    private var order: [Key] = []
    let capacityBytes: Int

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    /// The entry for `key`, now the most recent.
    func lookup(_ key: Key) -> PreparedIdentity? {
        guard let entry = entries[key] else { return nil }
        touch(key)
        return entry
    }

    /// Stores (or replaces) `key`'s entry, then evicts the least recent ones over the bound (keeping the newest).
    func store(_ key: Key, _ prepared: PreparedIdentity) {
        entries[key] = prepared
        touch(key)
        while order.count > 1, totalBytes > capacityBytes {
            entries[order.removeFirst()] = nil
        }
    }

    var totalBytes: Int { entries.values.reduce(0) { $0 + $1.byteCount } }
    var count: Int { entries.count }
    var completeCount: Int { entries.values.filter { $0.stage == .complete }.count }

    private func touch(_ key: Key) {
        if let i = order.firstIndex(of: key) { order.remove(at: i) }
        order.append(key)
    }
}
