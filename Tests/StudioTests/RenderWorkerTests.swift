import Foundation
import Generator
import StudioCore
import Testing
@testable import Studio

/// The render worker on a small imported model: staged frames, the identity cache, latest-wins with
/// cancellation (at most one render in flight), and save jobs.
@Suite(.serialized) struct RenderWorkerTests {
    /// Runs `body` with a render worker (64 MiB identity cache) on a fresh tiny imported model and its wake
    /// pipe; the worker is stopped and the model's folder removed afterwards.
    static func withWorker(_ body: (RenderWorker, WakePipe, NeuralPortraitModel) throws -> Void) throws {
        let work = try StudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = try NeuralPortraitModel(path: StudioFixtures.tinyBundle(in: work))
        let wake = try WakePipe()
        let worker = RenderWorker(model: model, cacheBytes: 64 << 20, wake: wake)
        defer { worker.stop() }
        try body(worker, wake, model)
    }

    /// Collects reports until `done` says so or `timeout` seconds pass.
    static func collect(_ worker: RenderWorker, wake: WakePipe, timeout: Double = 60,
                        until done: ([RenderReport]) -> Bool) -> [RenderReport] {
        var reports: [RenderReport] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var descriptor = pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 50)
            _ = wake.drain()
            reports += worker.takeReports()
            if done(reports) { break }
        }
        return reports
    }

    static func frames(_ reports: [RenderReport]) -> [(generation: Int, stage: RenderReport.Stage)] {
        reports.compactMap { if case let .frame(g, s, _, _, _, _, _, _) = $0 { return (g, s) } else { return nil } }
    }

    static func failures(_ reports: [RenderReport]) -> [String] {
        reports.compactMap { if case let .failed(_, m) = $0 { return m } else { return nil } }
    }

    @Test func stagesCacheAndLatestWins() throws {
        try Self.withWorker { worker, wake, _ in
            // A new identity: LR frame, preview, full, in that order.
            var controls = Controls(identity: .seed(3, blend: 0), psi: 0.7)
            worker.post(RenderRequest(controls: controls, generation: 1, sideBySide: false))
            var reports = Self.collect(worker, wake: wake) { Self.frames($0).contains { $0.stage == .full } }
            #expect(Self.failures(reports).isEmpty, "\(Self.failures(reports))")
            #expect(Self.frames(reports).map(\.stage) == [.lowResolution, .preview, .full])

            // The same identity, another camera: cached, so no LR frame.
            controls.camera.yaw = 20
            worker.post(RenderRequest(controls: controls, generation: 2, sideBySide: false))
            reports = Self.collect(worker, wake: wake) { Self.frames($0).contains { $0.generation == 2 && $0.stage == .full } }
            #expect(Self.frames(reports).map(\.stage) == [.preview, .full])
            #expect(reports.contains { if case let .frame(_, .full, _, _, _, cache, _, _) = $0 { return cache.hasPrefix("1 HR, 0 LR") } else { return false } })

            // 200 rapid requests: the worker coalesces them, renders at most one at a time and ends on the last.
            let before = worker.statistics
            for i in 0..<200 {
                controls.camera.yaw = Double(i % 60) - 30
                controls.identity = .seed(UInt32(10 + i % 5), blend: 0)
                worker.post(RenderRequest(controls: controls, generation: 3 + i, sideBySide: false))
            }
            reports = Self.collect(worker, wake: wake) { Self.frames($0).contains { $0.generation == 202 && $0.stage == .full } }
            let statistics = worker.statistics
            print("200 posts: \(statistics.started - before.started) renders started, \(statistics.cancelled - before.cancelled) cancelled, at most \(statistics.maxInFlight) in flight")
            #expect(Self.frames(reports).contains { $0.generation == 202 && $0.stage == .full })
            #expect(statistics.maxInFlight == 1)
            #expect(statistics.started - before.started < 200)
        }
    }

    @Test func saveJobsGetTheFullFrameAndReportFailures() throws {
        try Self.withWorker { worker, wake, model in
            let controls = Controls(identity: .seed(5, blend: 0), psi: 0.5, camera: .init(yaw: 7, pitch: 0))
            let expected = try model.renderAll(controls: controls)
            struct Unwritable: Error, CustomStringConvertible { var description: String { "folder is read-only" } }
            let expectedCodes = try model.codes(for: controls.identity)
            let first = SaveJob(controls: controls) { output, codes in
                "saved-1 same image \(output.image == expected.image), same codes \(codes == expectedCodes)"
            }
            #expect(worker.queue(first))
            #expect(worker.queue(SaveJob(controls: controls) { _, _ in throw Unwritable() }))
            let reports = Self.collect(worker, wake: wake) { $0.count >= 2 }
            let messages = reports.map { report -> String in
                switch report {
                case let .saved(m): return "saved: " + m
                case let .saveFailed(m): return "failed: " + m
                default: return "other"
                }
            }
            #expect(messages == ["saved: saved-1 same image true, same codes true", "failed: folder is read-only"])
        }
    }

    @Test func theIdentityCacheEvictsTheLeastRecentlyUsed() {
        let cache = IdentityCache(capacityBytes: 250)
        func entry(_ seed: Float) -> (IdentityCache.Key, PreparedIdentity) {
            let codes = IdentityCodes(identity: [seed], shape: [], noise: [])
            return (IdentityCache.Key(codes: codes, psi: 0.7),
                    PreparedIdentity(codes: codes, psi: 0.7, stage: .complete, byteCount: 100, payload: seed))
        }
        let (a, b, c) = (entry(1), entry(2), entry(3))
        cache.store(a.0, a.1)
        cache.store(b.0, b.1)
        #expect(cache.lookup(a.0) != nil)  // a is now the most recent
        cache.store(c.0, c.1)               // 300 bytes > 250: b goes
        #expect(cache.lookup(b.0) == nil && cache.lookup(a.0) != nil && cache.lookup(c.0) != nil)
        #expect(cache.count == 2 && cache.totalBytes == 200)
        let otherPsi = IdentityCache.Key(codes: a.1.codes, psi: 0.71)
        #expect(cache.lookup(otherPsi) == nil)
    }
}
