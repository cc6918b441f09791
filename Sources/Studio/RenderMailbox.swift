import Foundation
import Generator
import StudioCore

/// A save job: the full frame of `controls` by model `model` (index into the worker's models), handed to
/// `write` on the worker thread. Never superseded.
public struct SaveJob: Sendable {
    public let controls: Controls
    public let model: Int
    /// Writes the files; returns the message to show (e.g. the saved name).
    public let write: @Sendable (FrameOutput, IdentityCodes) throws -> String
    public init(controls: Controls, model: Int = 0, write: @escaping @Sendable (FrameOutput, IdentityCodes) throws -> String) {
        self.controls = controls; self.model = model; self.write = write
    }
}

/// A render request as the worker takes it: the studio's request and the index of the active model.
struct RenderJob: Sendable {
    let request: RenderRequest
    let model: Int
}

/// What the worker reports back.
public enum RenderReport: Sendable {
    /// Which frame of a request.
    public enum Stage: String, Sendable {
        /// From the LR maps while super-resolution runs.
        case lowResolution = "lr"
        case preview
        case full
    }

    /// A frame of model `model` (index into the worker's models); `lead` marks the active model's frames
    /// (the status line follows them), the other side of a side-by-side view has `lead` false.
    case frame(generation: Int, stage: Stage, controls: Controls, output: FrameOutput, milliseconds: Double, cache: String,
               model: Int, lead: Bool)
    /// The worker started a stage (for the status line).
    case working(generation: Int, what: String)
    case failed(generation: Int, message: String)
    case saved(message: String)
    case saveFailed(message: String)
}

/// The one-slot mailbox between the UI thread and the render worker, plus the save queue and the outbox.
///
/// `@unchecked Sendable`: every stored property is read and written only inside `condition.lock()` …
/// `unlock()` (the methods below), so the two threads never race; the values moved across are Sendable.
final class RenderMailbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: RenderJob?
    private var saves: [SaveJob] = []
    private var outbox: [RenderReport] = []
    private var latestGeneration: Int = 0
    private var stopped = false
    private var statistics = RenderStatistics()
    private var inFlight = 0
    /// Save jobs queued at most.
    static let maxSaves = 8

    /// Replaces the pending request (latest wins); older generations in flight are cancelled.
    func post(_ job: RenderJob) {
        condition.lock(); defer { condition.unlock() }
        latestGeneration = job.request.generation
        pending = job
        condition.signal()
    }

    /// Queues a save; false when 8 are already waiting.
    func queue(_ job: SaveJob) -> Bool {
        condition.lock(); defer { condition.unlock() }
        guard saves.count < Self.maxSaves else { return false }
        saves.append(job)
        condition.signal()
        return true
    }

    /// Whether `generation` is still the latest request.
    func isCurrent(_ generation: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        return !stopped && generation == latestGeneration
    }

    enum Work {
        case save(SaveJob)
        case render(RenderJob)
        case stop
    }

    /// Blocks the worker until there is work: saves first, then the latest request.
    func next() -> Work {
        condition.lock(); defer { condition.unlock() }
        while true {
            if stopped { return .stop }
            if !saves.isEmpty { return .save(saves.removeFirst()) }
            if let request = pending { pending = nil; return .render(request) }
            condition.wait()
        }
    }

    func stop() {
        condition.lock(); defer { condition.unlock() }
        stopped = true
        condition.signal()
    }

    func report(_ report: RenderReport) {
        condition.lock(); defer { condition.unlock() }
        outbox.append(report)
    }

    /// Everything reported since the last call.
    func takeReports() -> [RenderReport] {
        condition.lock(); defer { condition.unlock() }
        let out = outbox
        outbox.removeAll()
        return out
    }

    /// The worker starts a render.
    func beginRender() {
        condition.lock(); defer { condition.unlock() }
        inFlight += 1
        statistics.started += 1
        statistics.maxInFlight = max(statistics.maxInFlight, inFlight)
    }

    /// The worker's render ended (finished, cancelled or failed).
    func endRender(cancelled: Bool) {
        condition.lock(); defer { condition.unlock() }
        inFlight -= 1
        if cancelled { statistics.cancelled += 1 }
    }

    var renderStatistics: RenderStatistics {
        condition.lock(); defer { condition.unlock() }
        return statistics
    }

    /// Requests waiting or running, for the "at most one in flight" check: 0 or 1 pending plus saves.
    var pendingSaves: Int {
        condition.lock(); defer { condition.unlock() }
        return saves.count
    }
}

/// Counts of the worker's renders (the "at most one in flight" figure of the acceptance tests).
public struct RenderStatistics: Sendable, Equatable {
    /// Requests the worker started rendering.
    public var started = 0
    /// Renders stopped because a newer request arrived.
    public var cancelled = 0
    /// Most renders running at once.
    public var maxInFlight = 0
}
