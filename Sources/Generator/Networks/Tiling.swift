import Numerics
import Synchronization

/// Work over many rows (points, pixels) split into tiles spread over the cores, each worker thread
/// owning one scratch buffer allocated once for the whole run.
public enum Tiling {
    /// Calls `body(range, scratch)` for consecutive ranges of at most `tile` items that cover
    /// `0..<count`, in parallel over `Parallel.workerCount` threads. Each thread gets its own `scratch`
    /// of `scratchCount` floats (allocated once per thread, reused for all its tiles). `body` must write
    /// only outputs that belong to its range.
    ///
    /// `isCancelled` is polled before every tile (from the worker threads); once it returns true no
    /// further tile starts and the call throws `CancellationError` after the running tiles finish.
    public static func forEachTile(count: Int, tile: Int, scratchCount: Int,
                                   isCancelled: (@Sendable () -> Bool)? = nil,
                                   _ body: (Range<Int>, UnsafeMutableBufferPointer<Float>) -> Void) throws {
        precondition(tile > 0, "Tiling: tile size must be positive")
        guard count > 0 else { return }
        let tiles = (count + tile - 1) / tile
        let workers = min(Parallel.workerCount, tiles)
        let next = Atomic<Int>(0)
        let cancelled = Atomic<Bool>(false)
        Parallel.forEach(workers) { _ in
            var scratch = Tensor.zeros([max(scratchCount, 1)])
            scratch.withUnsafeMutableBufferPointer { s in
                while true {
                    if let isCancelled {
                        if cancelled.load(ordering: .relaxed) { break }
                        if isCancelled() { cancelled.store(true, ordering: .relaxed); break }
                    }
                    let t = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if t >= tiles { break }
                    let start = t * tile
                    body(start..<min(count, start + tile), s)
                }
            }
        }
        if cancelled.load(ordering: .relaxed) { throw CancellationError() }
    }
}
