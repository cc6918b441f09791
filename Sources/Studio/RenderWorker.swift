import Foundation
import Generator
import StudioCore

/// The one background thread that owns the models (DESIGN.md §5, render pipeline).
///
/// The UI posts the full controls with `post` (latest wins) naming the active model; per request the worker
/// resolves the codes, looks the identity up in its LRU (bounded by `cacheBytes`), on a miss prepares the LR
/// half and posts a frame from it, completes the identity, then posts a `preview` and a `full` frame. With
/// `sideBySide` it renders the other model of `comparison` too, for the same controls: both previews first,
/// then the other model's full frame, the active model's full frame last. Work stops between stages and
/// tiles once a newer request arrives (the finished identity work stays cached), so at most one render is in
/// flight. Save jobs run before renders and are never superseded. Every report wakes the UI through `wake`.
public final class RenderWorker: Sendable {
    private let mailbox = RenderMailbox()
    private let wake: WakePipe
    private let done = NSCondition()
    private let finishedFlag = FinishedFlag()

    /// Starts the thread for `models` (the studio's: the neural model and `synthetic`, or one of them);
    /// `comparison` pairs the two indices a side-by-side request renders.
    public init(models: [any PortraitModel], comparison: (neural: Int, synthetic: Int)? = nil, cacheBytes: Int, wake: WakePipe) {
        precondition(!models.isEmpty, "RenderWorker: no model")
        self.wake = wake
        let mailbox = self.mailbox
        let flag = finishedFlag, done = self.done
        let pair = comparison.map { [$0.neural, $0.synthetic] }
        let thread = Thread {
            let state = WorkerState(models: models, comparison: pair, cacheBytes: cacheBytes, mailbox: mailbox, wake: wake)
            state.loop()
            done.lock(); flag.set(); done.broadcast(); done.unlock()
        }
        thread.name = "portrait-render"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Starts the thread for one model.
    public convenience init(model: any PortraitModel, cacheBytes: Int, wake: WakePipe) {
        self.init(models: [model], cacheBytes: cacheBytes, wake: wake)
    }

    /// Posts the latest request for model `model` (latest wins; the one in flight stops at its next check).
    public func post(_ request: RenderRequest, model: Int = 0) { mailbox.post(RenderJob(request: request, model: model)) }

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
    let models: [any PortraitModel]
    /// The two model indices of a side-by-side request.
    let comparison: [Int]?
    let cache: IdentityCache
    let mailbox: RenderMailbox
    let wake: WakePipe
    /// The last full frame of each model, for saves of the same controls.
    var lastFull: [Int: (controls: Controls, output: FrameOutput, codes: IdentityCodes)] = [:]

    init(models: [any PortraitModel], comparison: [Int]?, cacheBytes: Int, mailbox: RenderMailbox, wake: WakePipe) {
        self.models = models
        self.comparison = comparison
        self.cache = IdentityCache(capacityBytes: cacheBytes)
        self.mailbox = mailbox
        self.wake = wake
    }

    func loop() {
        while true {
            switch mailbox.next() {
            case .stop: return
            case let .save(job): save(job)
            case let .render(job): render(job)
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

    private func identity(model index: Int, for controls: Controls, complete: Bool, isCancelled: @escaping @Sendable () -> Bool,
                          onLowResolution: (PreparedIdentity) throws -> Void) throws -> (PreparedIdentity, IdentityCodes) {
        let model = models[index]
        let codes = try model.codes(for: controls.identity)
        let psi = controls.psi ?? model.controlSpace.defaultPsi
        let key = IdentityCache.Key(model: index, codes: codes, psi: psi)
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

    private func render(_ job: RenderJob) {
        let request = job.request
        let generation = request.generation
        let mailbox = self.mailbox
        let isCancelled: @Sendable () -> Bool = { !mailbox.isCurrent(generation) }
        let controls = Self.normalised(request.controls)
        let lead = models.indices.contains(job.model) ? job.model : 0
        // The models to render, the active one first; with side by side the other one of the pair too.
        var order = [lead]
        if request.sideBySide, let pair = comparison, pair.contains(lead), let other = pair.first(where: { $0 != lead }) {
            order.append(other)
        }
        if order.allSatisfy({ lastFull[$0]?.controls == controls }) {
            for m in order.reversed() {
                guard let last = lastFull[m] else { continue }
                report(.frame(generation: generation, stage: .full, controls: controls, output: last.output,
                              milliseconds: 0, cache: cacheState, model: m, lead: m == lead))
            }
            return
        }
        mailbox.beginRender()
        var cancelled = false
        defer { mailbox.endRender(cancelled: cancelled) }
        do {
            func elapsed(since t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6 }
            var preview = controls
            preview.quality = .preview
            // Previews of every model, the one without identity work (`synthetic`, fast) first.
            var prepared: [Int: (PreparedIdentity, IdentityCodes)] = [:]
            let previewOrder = order.count == 2 && models[order[0]].cachesIdentity && !models[order[1]].cachesIdentity
                ? order.reversed() : order
            for m in previewOrder {
                let isLead = m == lead
                if isLead { report(.working(generation: generation, what: "identity")) }
                prepared[m] = try identity(model: m, for: controls, complete: true, isCancelled: isCancelled) { low in
                    let t = DispatchTime.now().uptimeNanoseconds
                    let frame = try models[m].render(identity: low, controls: preview, isCancelled: isCancelled)
                    report(.frame(generation: generation, stage: .lowResolution, controls: controls, output: frame,
                                  milliseconds: elapsed(since: t), cache: cacheState, model: m, lead: isLead))
                    if isLead { report(.working(generation: generation, what: "super-resolution")) }
                }
                if isCancelled() { cancelled = true; return }
                guard let (identity, _) = prepared[m] else { continue }
                let t0 = DispatchTime.now().uptimeNanoseconds
                let quick = try models[m].render(identity: identity, controls: preview, isCancelled: isCancelled)
                report(.frame(generation: generation, stage: .preview, controls: controls, output: quick,
                              milliseconds: elapsed(since: t0), cache: cacheState, model: m, lead: isLead))
                if isCancelled() { cancelled = true; return }
            }
            // Full frames: the other side first, the active model last (its full frame ends the request).
            for m in order.reversed() {
                guard let (identity, codes) = prepared[m] else { continue }
                let isLead = m == lead
                if isLead { report(.working(generation: generation, what: "full")) }
                let t1 = DispatchTime.now().uptimeNanoseconds
                let full = try models[m].render(identity: identity, controls: controls, isCancelled: isCancelled)
                lastFull[m] = (controls, full, codes)
                report(.frame(generation: generation, stage: .full, controls: controls, output: full,
                              milliseconds: elapsed(since: t1), cache: cacheState, model: m, lead: isLead))
                if isCancelled() { cancelled = true; return }
            }
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
        let m = models.indices.contains(job.model) ? job.model : 0
        do {
            let frame: FrameOutput, codes: IdentityCodes
            if let last = lastFull[m], last.controls == controls {
                (frame, codes) = (last.output, last.codes)
            } else {
                let (prepared, resolved) = try identity(model: m, for: controls, complete: true, isCancelled: { false }) { _ in }
                frame = try models[m].render(identity: prepared, controls: controls, isCancelled: { false })
                codes = resolved
                lastFull[m] = (controls, frame, codes)
            }
            report(.saved(message: try job.write(frame, codes)))
        } catch {
            report(.saveFailed(message: String(describing: error)))
        }
    }
}
