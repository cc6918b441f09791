import Foundation
import Generator
import StudioCore

/// The one background thread that owns the model (DESIGN.md §5, render pipeline).
///
/// The UI posts the full controls with `post` (latest wins); per request the worker resolves the codes,
/// looks the identity up in its LRU (bounded by `cacheBytes`), on a miss prepares the LR half and posts a
/// frame from it, completes the identity, then posts a `preview` and a `full` frame. Work stops between
/// stages and tiles once a newer request arrives (the finished identity work stays cached), so at most one
/// render is in flight. Save jobs run before renders and are never superseded. Every report wakes the UI
/// through `wake`.
public final class RenderWorker: Sendable {
    private let mailbox = RenderMailbox()
    private let model: any PortraitModel
    private let wake: WakePipe
    private let done = NSCondition()
    private let finishedFlag = FinishedFlag()

    /// Starts the thread.
    public init(model: any PortraitModel, cacheBytes: Int, wake: WakePipe) {
        self.model = model
        self.wake = wake
        let mailbox = self.mailbox
        let flag = finishedFlag, done = self.done
        let thread = Thread {
            let state = WorkerState(model: model, cacheBytes: cacheBytes, mailbox: mailbox, wake: wake)
            state.loop()
            done.lock(); flag.set(); done.broadcast(); done.unlock()
        }
        thread.name = "portrait-render"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Posts the latest request (latest wins; the one in flight stops at its next check).
    public func post(_ request: RenderRequest) { mailbox.post(request) }

    /// Queues a save job; false when the queue (8) is full.
    public func queue(_ job: SaveJob) -> Bool { mailbox.queue(job) }

    /// Reports since the last call.
    public func takeReports() -> [RenderReport] { mailbox.takeReports() }

    /// Renders started, cancelled, and the most in flight at once.
    public var statistics: RenderStatistics { mailbox.renderStatistics }

    /// Save jobs still waiting.
    public var pendingSaves: Int { mailbox.pendingSaves }

    /// Cancels the request in flight, lets queued saves finish first if `finishSaves`, and waits for the thread
    /// (at most `timeout` seconds).
    public func stop(timeout: TimeInterval = 5) {
        mailbox.stop()
        done.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while !finishedFlag.isSet, done.wait(until: deadline) {}
        done.unlock()
    }
}

/// A flag read and written only under `RenderWorker.done`'s lock.
private final class FinishedFlag: @unchecked Sendable {
    private(set) var isSet = false
    func set() { isSet = true }
}

/// The worker thread's own state (never shared).
private final class WorkerState {
    let model: any PortraitModel
    let cache: IdentityCache
    let mailbox: RenderMailbox
    let wake: WakePipe
    /// The last full frame, for saves of the same controls.
    var lastFull: (controls: Controls, output: FrameOutput, codes: IdentityCodes)?

    init(model: any PortraitModel, cacheBytes: Int, mailbox: RenderMailbox, wake: WakePipe) {
        self.model = model
        self.cache = IdentityCache(capacityBytes: cacheBytes)
        self.mailbox = mailbox
        self.wake = wake
    }

    func loop() {
        while true {
            switch mailbox.next() {
            case .stop: return
            case let .save(job): save(job)
            case let .render(request): render(request)
            }
        }
    }

    private func report(_ r: RenderReport) {
        mailbox.report(r)
        wake.wake()
    }

    private var cacheState: String {
        let megabytes = cache.totalBytes >> 20
        return "\(cache.completeCount) HR, \(cache.count - cache.completeCount) LR, \(megabytes) MB"
    }

    private func identity(for controls: Controls, complete: Bool, isCancelled: @escaping @Sendable () -> Bool,
                          onLowResolution: (PreparedIdentity) throws -> Void) throws -> (PreparedIdentity, IdentityCodes) {
        let codes = try model.codes(for: controls.identity)
        let psi = controls.psi ?? model.controlSpace.defaultPsi
        let key = IdentityCache.Key(codes: codes, psi: psi)
        var prepared: PreparedIdentity
        if let cached = cache.lookup(key) {
            prepared = cached
        } else {
            prepared = try model.prepareLowResolution(codes: codes, psi: psi, isCancelled: isCancelled)
            if model.cachesIdentity { cache.store(key, prepared) }
            if prepared.stage == .lowResolution { try onLowResolution(prepared) }
        }
        if complete, prepared.stage != .complete {
            prepared = try model.completeIdentity(prepared, isCancelled: isCancelled)
            if model.cachesIdentity { cache.store(key, prepared) }
        }
        return (prepared, codes)
    }

    private func render(_ request: RenderRequest) {
        let generation = request.generation
        let mailbox = self.mailbox
        let isCancelled: @Sendable () -> Bool = { !mailbox.isCurrent(generation) }
        let controls = Self.normalised(request.controls)
        if let last = lastFull, last.controls == controls {
            report(.frame(generation: generation, stage: .full, controls: controls, output: last.output,
                          milliseconds: 0, cache: cacheState))
            return
        }
        mailbox.beginRender()
        var cancelled = false
        defer { mailbox.endRender(cancelled: cancelled) }
        do {
            func elapsed(since t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6 }
            report(.working(generation: generation, what: "identity"))
            let (prepared, codes) = try identity(for: controls, complete: true, isCancelled: isCancelled) { low in
                let t = DispatchTime.now().uptimeNanoseconds
                var preview = controls
                preview.quality = .preview
                let frame = try model.render(identity: low, controls: preview, isCancelled: isCancelled)
                report(.frame(generation: generation, stage: .lowResolution, controls: controls, output: frame,
                              milliseconds: elapsed(since: t), cache: cacheState))
                report(.working(generation: generation, what: "super-resolution"))
            }
            if isCancelled() { cancelled = true; return }
            var preview = controls
            preview.quality = .preview
            let t0 = DispatchTime.now().uptimeNanoseconds
            let quick = try model.render(identity: prepared, controls: preview, isCancelled: isCancelled)
            report(.frame(generation: generation, stage: .preview, controls: controls, output: quick,
                          milliseconds: elapsed(since: t0), cache: cacheState))
            if isCancelled() { cancelled = true; return }
            report(.working(generation: generation, what: "full"))
            let t1 = DispatchTime.now().uptimeNanoseconds
            let full = try model.render(identity: prepared, controls: controls, isCancelled: isCancelled)
            lastFull = (controls, full, codes)
            report(.frame(generation: generation, stage: .full, controls: controls, output: full,
                          milliseconds: elapsed(since: t1), cache: cacheState))
        } catch is CancellationError {
            cancelled = true
        } catch {
            report(.failed(generation: generation, message: String(describing: error)))
        }
    }

    /// The controls that decide the pixels: `full` quality; `show` picks among the outputs of one frame.
    static func normalised(_ controls: Controls) -> Controls {
        var c = controls
        c.quality = .full
        c.show = .image
        return c
    }

    private func save(_ job: SaveJob) {
        let controls = Self.normalised(job.controls)
        do {
            let frame: FrameOutput, codes: IdentityCodes
            if let last = lastFull, last.controls == controls {
                (frame, codes) = (last.output, last.codes)
            } else {
                let (prepared, resolved) = try identity(for: controls, complete: true, isCancelled: { false }) { _ in }
                frame = try model.render(identity: prepared, controls: controls, isCancelled: { false })
                codes = resolved
                lastFull = (controls, frame, codes)
            }
            report(.saved(message: try job.write(frame, codes)))
        } catch {
            report(.saveFailed(message: String(describing: error)))
        }
    }
}
