import Foundation
import Synchronization

/// Where the generator's time goes: CPU seconds per stage, collected while `isEnabled` (by
/// `portrait bench --profile`; off otherwise, when a measurement costs one atomic load).
///
/// Stages run either on the calling thread with parallel regions inside (`region`: the process's CPU
/// time over the call, which counts the workers too; nothing else of the generator runs meanwhile), or
/// inside the workers of a parallel loop (`worker`: that thread's CPU time, summed over the workers).
public final class StageProfile: Sendable {
    /// The stages of the breakdown (SPEC.md §1.1 and §1.2).
    public enum Stage: Int, CaseIterable, Sendable {
        case mapping, sampleNet, radianceNet, srNet, rays, bodyPosing, nearestNeighbours, smoother, poseWarp,
             upsampling, deformNet, crossingSearch, compositing

        /// A short label for tables.
        public var label: String {
            switch self {
            case .mapping: return "mapping networks"
            case .sampleNet: return "sample net"
            case .radianceNet: return "radiance net"
            case .srNet: return "SR net"
            case .rays: return "rays"
            case .bodyPosing: return "body posing"
            case .nearestNeighbours: return "nearest neighbours"
            case .smoother: return "smoother"
            case .poseWarp: return "pose warp (F6)"
            case .upsampling: return "ray upsampling (F7)"
            case .deformNet: return "deform net"
            case .crossingSearch: return "crossing search"
            case .compositing: return "compositing"
            }
        }
    }

    /// The process-wide profile.
    public static let shared = StageProfile()

    private let enabled = Atomic<Bool>(false)
    private let seconds = Mutex<[Double]>(Array(repeating: 0, count: Stage.allCases.count))

    /// Whether stages are being timed.
    public var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    /// Sets every stage's time to zero.
    public func reset() {
        seconds.withLock { $0 = Array(repeating: 0, count: Stage.allCases.count) }
    }

    /// CPU seconds per stage since the last `reset()`.
    public func snapshot() -> [Stage: Double] {
        let values = seconds.withLock { $0 }
        return Dictionary(uniqueKeysWithValues: Stage.allCases.map { ($0, values[$0.rawValue]) })
    }

    /// Runs `body` (which may run parallel regions) on the calling thread and adds the process's CPU time
    /// over it to `stage`.
    public func region<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        guard isEnabled else { return try body() }
        let start = Self.cpuSeconds(CLOCK_PROCESS_CPUTIME_ID)
        defer { add(stage, Self.cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - start) }
        return try body()
    }

    /// Runs `body` inside a worker of a parallel loop and adds this thread's CPU time over it to `stage`.
    public func worker<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        guard isEnabled else { return try body() }
        let start = Self.cpuSeconds(CLOCK_THREAD_CPUTIME_ID)
        defer { add(stage, Self.cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - start) }
        return try body()
    }

    private func add(_ stage: Stage, _ value: Double) {
        seconds.withLock { $0[stage.rawValue] += value }
    }

    private static func cpuSeconds(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
