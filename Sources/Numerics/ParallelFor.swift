import Dispatch
import Foundation
import Synchronization

/// Work split over the machine's cores.
///
/// Inside a parallel region OpenBLAS must run single-threaded (no oversubscription): `Parallel.forEach`
/// sets OpenBLAS to one thread for the region and restores the previous count afterwards. Call it from
/// one thread at a time (the render worker or the command's main thread).
public enum Parallel {
    /// Number of worker threads used for parallel regions (the core count, at least 1).
    nonisolated(unsafe) public static var workerCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

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
        if workers <= 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
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
}
