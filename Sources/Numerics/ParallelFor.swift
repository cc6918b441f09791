import Dispatch
import Foundation
import Synchronization

/// Work split over the machine's cores.
///
/// Inside a parallel region OpenBLAS must run single-threaded (no oversubscription): `Parallel.forEach`
/// sets OpenBLAS to one thread for the region and restores the previous count afterwards. A region opened
/// inside another (from a worker, or from a second thread while one is open) runs serially on its caller's
/// thread, so outer loops over independent samples can call code that has parallel loops of its own. Every
/// loop writes disjoint outputs per index, so results do not depend on how the indices were spread.
public enum Parallel {
    /// Number of worker threads used for parallel regions (the core count, at least 1).
    nonisolated(unsafe) public static var workerCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Parallel regions open now (at most 1: nested regions run serially).
    private static let openRegions = Atomic<Int>(0)

    /// Runs `body(i)` for every `i` in `0..<count`, spread over `workerCount` threads, each index once.
    /// Chunks are handed out dynamically, so uneven tiles balance out.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forEachWithWorker(count) { index, _ in body(index) }
    }

    /// Like `forEach`, and also passes the worker number `0..<min(workerCount, count)` running the index,
    /// so callers can give every worker its own scratch buffer (`worker * scratchSize`). No two indices
    /// run at the same time with the same worker number.
    public static func forEachWithWorker(_ count: Int, _ body: (_ index: Int, _ worker: Int) -> Void) {
        guard count > 0 else { return }
        let workers = min(workerCount, count)
        guard workers > 1, openRegions.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else {
            for i in 0..<count { body(i, 0) }
            return
        }
        defer { openRegions.store(0, ordering: .releasing) }
        let saved = GEMM.threads
        if saved != 1 { GEMM.setThreads(1) }
        defer { if saved != 1 { GEMM.setThreads(saved) } }
        let counter = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            // Safe: `body` is only called while this function waits in `concurrentPerform`, and callers
            // give each index its own disjoint output region (and each worker its own scratch).
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while true {
                    let i = counter.wrappingAdd(1, ordering: .relaxed).oldValue
                    if i >= count { break }
                    body(i, worker)
                }
            }
        }
    }

    /// `body(i)` for every `i` in `0..<count`, spread over the cores like `forEach`, returned in index order.
    /// Every index runs even when one throws; the error of the lowest throwing index is rethrown.
    public static func map<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        var slots = [Result<T, any Error>?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Safe: each index writes only its own slot, and `forEach` returns after every index ran.
            nonisolated(unsafe) let slot = base
            forEach(count) { i in slot[i] = Result { try body(i) } }
        }
        return try slots.map { result in
            guard let result else { preconditionFailure("Parallel.map: an index did not run") }
            return try result.get()
        }
    }
}
