import Synchronization
import Testing
@testable import Numerics

/// `Parallel.map` and nested regions.
@Suite struct ParallelTests {
    struct Failure: Error, Equatable { let index: Int }

    @Test func mapReturnsResultsInIndexOrder() throws {
        let squares = try Parallel.map(100) { i in i * i }
        #expect(squares == (0..<100).map { $0 * $0 })
        #expect(try Parallel.map(0) { $0 }.isEmpty)
    }

    /// Every index runs; the lowest failing index's error is the one thrown.
    @Test func mapRethrowsTheLowestFailingIndex() {
        let ran = Atomic<Int>(0)
        #expect(throws: Failure(index: 3)) {
            _ = try Parallel.map(20) { i -> Int in
                ran.add(1, ordering: .relaxed)
                if i == 3 || i == 17 { throw Failure(index: i) }
                return i
            }
        }
        #expect(ran.load(ordering: .relaxed) == 20)
    }

    /// A region inside a region runs serially on the calling worker and still visits every index once.
    @Test func nestedRegionsVisitEveryIndexOnce() throws {
        let inner = try Parallel.map(4) { i in try Parallel.map(50) { j in i * 50 + j } }
        #expect(inner.flatMap { $0 } == Array(0..<200))
    }
}
