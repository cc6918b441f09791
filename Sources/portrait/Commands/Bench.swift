import ArgumentParser
import Foundation
import Generator
import ModelIO
import Numerics
import Synth

/// `portrait bench`: speed measurements of a model (identity stage, frames) and of the numerical kernels.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: a model's identity stage and frames, or (--kernels) the numerical kernels.",
        discussion: """
            With `synthetic` prints the parametric renderer's preview and full frame times (median wall and \
            CPU time; targets 30 and 150 ms on 2 cores; a frame is drawn on one thread). With a bundle MODEL prints, for the model, the time of the manifold intersections \
            (once per model), the identity stage up to its LR maps and in total, and a `full` and a `preview` \
            frame: median wall and CPU time of --runs runs, the process's peak resident memory during the phase, \
            the phase's FLOP count (SPEC.md section 9) and that count divided by the measured GEMM rate (the \
            machine's limit) with the ratio of the measured time to it. On a shared machine read the CPU-based \
            ratio (CPU seconds / workers against the per-core GEMM rate): it does not depend on the load. \
            `make bench-official` builds the official-shape formula-weights bundle and benches it.
            """)

    @Argument(help: "The model: a .portrait file, a name in $XDG_DATA_HOME/portrait-studio/models/, builtin or synthetic (default: builtin when it is trained, else synthetic).")
    var model: String?

    @Flag(help: "Time GEMM (our wrapper vs cblas_sgemm, 1 and 2 threads), conv2d, depthwise conv3d, grid sample and SIMD sin/exp vs scalar libm.")
    var kernels = false

    @Option(help: "Runs per measurement (the median is reported; default 3 for a model, 5 for --kernels).")
    var runs: Int?

    @Option(help: "Only kernels whose name contains this text (e.g. sgemm, conv2d, sin).")
    var filter: String?

    @Option(help: "Identity seed of the model benchmark.")
    var seed: UInt32 = 0

    @Flag(help: "Also print the CPU time per stage (mapping, sample net, radiance net, SR net, rays, body posing, nearest neighbours, smoother, deform net, crossing search, compositing, ...) of one more run of each phase.")
    var profile = false

    func validate() throws {
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        if kernels {
            try runKernels(runs: runs ?? 5)
            if model == nil { return }
            print("")
        }
        let resolution = try ModelLocator.resolve(model)
        if let reason = resolution.reason { print("model \(resolution.name): \(reason)") }
        switch resolution.choice {
        case .synthetic:
            try SyntheticBenchmark(runs: runs ?? 5, seed: seed).run()
        case let .bundle(path):
            try ModelBenchmark(path: path, runs: runs ?? 3, seed: seed, profile: profile).run()
        }
    }

    private func runKernels(runs: Int) throws {
        print("portrait bench --kernels: median of \(runs) runs, \(Parallel.workerCount) workers, OpenBLAS kernels \(GEMM.kernelCore)")
        print("rate: work per wall-clock second; per-core rate: work per CPU-second times threads (what an")
        print("otherwise idle machine would give when the threads stay busy; use it on a shared machine)")
        printHeader()
        let workers = Parallel.workerCount
        let gemmShapes = [(65536, 128, 128), (65536, 256, 256), (65536, 256, 3), (16384, 576, 64), (262144, 288, 32)]
        func wants(_ name: String) -> Bool { filter.map { name.contains($0) } ?? true }
        for (m, k, n) in gemmShapes where wants("sgemm") {
            for threads in Array(Set([1, workers])).sorted() {
                let rows = KernelBenchmark.gemm(m: m, k: k, n: n, threads: threads, runs: runs)
                rows.forEach(printRow)
                if rows.count == 2 {
                    print(String(format: "    wrapper / direct: %.3f (wall), %.3f (per-core)", rows[0].rate / rows[1].rate,
                                 rows[0].ratePerCoreSet / rows[1].ratePerCoreSet))
                }
            }
        }
        for (batch, cin, cout, size, k) in [(4, 64, 32, 128, 3), (4, 192, 64, 128, 3), (4, 64, 256, 128, 3),
                                            (1, 32, 32, 512, 3), (1, 32, 4, 512, 1)] where wants("conv2d") {
            try KernelBenchmark.conv2d(batch: batch, inChannels: cin, outChannels: cout, size: size, kernel: k, runs: runs)
                .forEach(printRow)
        }
        if wants("depthwise") {
            printRow(try KernelBenchmark.depthwiseConv3d(channels: 16, depth: 64, size: 128, kernel: (5, 9, 9), runs: runs))
        }
        if wants("grid") {
            printRow(KernelBenchmark.gridSample(channels: 4, size: 512, points: 1 << 20, runs: runs))
        }
        for function in [ElementwiseFunction.sin, .exp] where wants("\(function)") {
            let rows = KernelBenchmark.transcendental(function, count: 1 << 22, runs: runs)
            rows.forEach(printRow)
            if let libm = rows.first(where: { $0.variant == "scalar libm" && $0.threads == 1 }),
               let libmParallel = rows.last(where: { $0.variant == "scalar libm" }),
               let simd = rows.last(where: { $0.variant == "SIMD" }) {
                print(String(format: "    SIMD / scalar libm, both on %d threads: %.1fx (wall), %.1fx (per-core)",
                             simd.threads, simd.rate / libmParallel.rate, simd.ratePerCoreSet / libmParallel.ratePerCoreSet))
                print(String(format: "    SIMD on %d threads / scalar libm on 1 thread: %.1fx (wall), %.1fx (per-core)",
                             simd.threads, simd.rate / libm.rate, simd.ratePerCoreSet / libm.ratePerCoreSet))
            }
        }
    }

    private func printHeader() {
        print(pad("kernel", 52) + pad("variant", 30) + pad("threads", 8) + pad("wall ms", 10) + pad("cpu ms", 10)
              + pad("rate", 22) + "per-core rate")
    }

    private func printRow(_ m: KernelBenchmark.Measurement) {
        print(pad(m.kernel, 52) + pad(m.variant, 30) + pad("\(m.threads)", 8)
              + pad(String(format: "%.2f", m.seconds * 1000), 10) + pad(String(format: "%.2f", m.cpuSeconds * 1000), 10)
              + pad(String(format: "%.1f ", m.rate) + m.unit, 22) + String(format: "%.1f ", m.ratePerCoreSet) + m.unit)
    }
}

/// Left-aligns `s` in a column of `width` characters (at least one space after it).
func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

/// The model part of `portrait bench`: phases of the generator timed on one bundle.
struct ModelBenchmark {
    let path: String
    let runs: Int
    let seed: UInt32
    let profile: Bool

    /// Median figures of one phase.
    struct Phase {
        let name: String
        let wall: Double
        let cpu: Double
        /// Peak resident memory of the process during the phase (MiB), nil if unknown.
        let peakMiB: Double?
        let flop: Double
    }

    func run() throws {
        let clock = ContinuousClock()
        let loadStart = clock.now
        let generator = try PortraitGenerator(path: path)
        let loadSeconds = Self.seconds(clock.now - loadStart)
        let c = generator.configuration
        let workers = Parallel.workerCount
        print("portrait bench \(path)")
        print("  LR \(c.lrImageSize), HR \(c.hrImageSize), \(c.numManifolds) manifolds, \(c.frameNumSamples) -> \(c.frameNumPoints) points per ray; "
              + "median of \(runs) runs, \(workers) workers, OpenBLAS kernels \(GEMM.kernelCore); loaded in \(String(format: "%.2f", loadSeconds)) s")
        print("  machine load before: \(Self.loadAverage())")

        // The machine's limit: the best GEMM rate of the networks' shapes, wall and per core.
        var wallRate = 0.0, coreRate = 0.0
        for (m, k, n) in [(65536, 128, 128), (65536, 256, 256)] {
            if let g = KernelBenchmark.gemm(m: m, k: k, n: n, threads: workers, runs: 3).first {
                wallRate = max(wallRate, g.rate)
                coreRate = max(coreRate, g.ratePerCoreSet)
            }
        }
        print(String(format: "  GEMM rate (best of sgemm 65536x128x128 and 65536x256x256): %.1f GFLOP/s wall, %.1f GFLOP/s per-core (idle machine)",
                     wallRate, coreRate))

        let codes = try generator.codes(for: .seed(seed, blend: 0))
        let psi = generator.defaultPsi
        let stage = generator.identityStage
        let cost = CostModel(configuration: c)
        var phases: [Phase] = []

        phases.append(try measure("manifold intersections (once per model)", runs: 1, flop: cost.levelFieldFLOP) {
            _ = try stage.intersections()
        })
        // The identity stage in its two halves (the LR maps come first, so the studio can show them).
        var lrRuns: [Sample] = [], srRuns: [Sample] = [], totalRuns: [Sample] = []
        var maps: IdentityMaps?
        var lastLow: LowResolutionIdentity?
        for _ in 0..<runs {
            let (low, lr) = try sample { try stage.prepareLowResolution(identity: codes.identity, noise: codes.noise, psi: psi) }
            let (hr, sr) = try sample { try stage.superResolve(low) }
            maps = hr
            lastLow = low
            lrRuns.append(lr)
            srRuns.append(sr)
            totalRuns.append(Sample(wall: lr.wall + sr.wall, cpu: lr.cpu + sr.cpu, peakMiB: max(lr.peakMiB ?? 0, sr.peakMiB ?? 0)))
        }
        guard let maps, let low = lastLow else { throw ValidationError("no identity was computed") }
        let lrFLOP = cost.identityFLOP - cost.superResolutionFLOP - cost.levelFieldFLOP
        phases.append(phase("identity: LR maps", lrRuns, flop: lrFLOP))
        phases.append(phase("identity: super-resolution", srRuns, flop: cost.superResolutionFLOP))
        phases.append(phase("identity total (LR maps + SR)", totalRuns, flop: lrFLOP + cost.superResolutionFLOP))
        for quality in Controls.Quality.allCases {
            let plan = generator.frameStage.plan(quality)
            let frameCost = CostModel(configuration: c, rays: plan.rays, samples: plan.samples, points: plan.points)
            let controls = Controls(identity: .seed(seed, blend: 0), quality: quality)
            phases.append(try measure("frame \(quality.rawValue) (\(plan.rays)² rays, \(plan.points) points, \(plan.imageSize)² px)",
                                  runs: runs, flop: frameCost.frameFLOP) {
                _ = try generator.render(identity: maps, shape: codes.shape, controls: controls)
            })
        }

        print("")
        print(pad("phase", 56) + pad("wall s", 9) + pad("CPU s", 9) + pad("peak MiB", 10) + pad("GFLOP", 9)
              + pad("limit s", 9) + pad("wall/limit", 11) + pad("CPU-based s", 12) + "CPU-based/limit")
        for p in phases {
            let limit = p.flop / (wallRate * 1e9)
            let cpuBased = p.cpu / Double(workers)
            let idleLimit = p.flop / (coreRate * 1e9)
            print(pad(p.name, 56) + pad(String(format: "%.3f", p.wall), 9) + pad(String(format: "%.3f", p.cpu), 9)
                  + pad(p.peakMiB.map { String(format: "%.0f", $0) } ?? "n/a", 10) + pad(String(format: "%.1f", p.flop / 1e9), 9)
                  + pad(String(format: "%.3f", limit), 9) + pad(String(format: "%.2f", p.wall / limit), 11)
                  + pad(String(format: "%.3f", cpuBased), 12) + String(format: "%.2f", cpuBased / idleLimit))
        }
        print("")
        print("  limit s = GFLOP / GEMM wall rate; CPU-based s = CPU s / \(workers) workers, compared with GFLOP / per-core GEMM rate.")
        print("  peak MiB: the process's peak resident set (VmHWM, reset before each phase) including the loaded model.")
        print("  machine load after: \(Self.loadAverage())")
        if profile {
            try printProfile(generator: generator, codes: codes, psi: psi, low: low, maps: maps)
        }
    }

    /// One more run of each phase with `StageProfile` on: CPU seconds per stage and phase.
    private func printProfile(generator: PortraitGenerator, codes: IdentityCodes, psi: Double, low: LowResolutionIdentity,
                              maps: IdentityMaps) throws {
        let stage = generator.identityStage
        var columns: [(name: String, total: Double, stages: [StageProfile.Stage: Double])] = []
        let profile = StageProfile.shared
        func run(_ name: String, _ body: () throws -> Void) rethrows {
            profile.reset()
            profile.isEnabled = true
            defer { profile.isEnabled = false }
            let (_, s) = try sample(body)
            columns.append((name, s.cpu, profile.snapshot()))
        }
        try run("LR maps") { _ = try stage.prepareLowResolution(identity: codes.identity, noise: codes.noise, psi: psi) }
        try run("SR") { _ = try stage.superResolve(low) }
        for quality in Controls.Quality.allCases {
            let controls = Controls(identity: .seed(seed, blend: 0), quality: quality)
            try run("frame \(quality.rawValue)") { _ = try generator.render(identity: maps, shape: codes.shape, controls: controls) }
        }
        print("")
        print("CPU seconds per stage (--profile; one run each; share of the phase's CPU time):")
        print(pad("stage", 24) + columns.map { pad($0.name, 20) }.joined())
        func cell(_ seconds: Double, _ total: Double) -> String {
            pad(String(format: "%.3f (%4.1f%%)", seconds, total > 0 ? 100 * seconds / total : 0), 20)
        }
        for s in StageProfile.Stage.allCases where columns.contains(where: { ($0.stages[s] ?? 0) > 0 }) {
            print(pad(s.label, 24) + columns.map { cell($0.stages[s] ?? 0, $0.total) }.joined())
        }
        print(pad("other (glue, idle spin)", 24)
              + columns.map { cell(max(0, $0.total - $0.stages.values.reduce(0, +)), $0.total) }.joined())
        print(pad("phase total", 24) + columns.map { cell($0.total, $0.total) }.joined())
    }

    /// Wall and CPU time of one run and the process's peak resident memory during it.
    struct Sample {
        let wall: Double
        let cpu: Double
        let peakMiB: Double?
    }

    /// Runs `body` once after resetting the peak-memory mark.
    private func sample<T>(_ body: () throws -> T) rethrows -> (T, Sample) {
        ResourceUsage.resetPeakResident()
        let cpu0 = ResourceUsage.cpuSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return (result, Sample(wall: wall, cpu: ResourceUsage.cpuSeconds() - cpu0, peakMiB: ResourceUsage.peakResidentMiB()))
    }

    /// Runs `body` `runs` times and keeps the median wall and CPU time.
    private func measure(_ name: String, runs: Int, flop: Double, _ body: () throws -> Void) rethrows -> Phase {
        var samples: [Sample] = []
        for _ in 0..<runs { samples.append(try sample(body).1) }
        return phase(name, samples, flop: flop)
    }

    /// The medians of `samples` (printing every run), and the highest peak.
    private func phase(_ name: String, _ samples: [Sample], flop: Double) -> Phase {
        let walls = samples.map(\.wall), cpus = samples.map(\.cpu)
        print(String(format: "  %@: wall %@ s, CPU %@ s", name,
                     walls.map { String(format: "%.3f", $0) }.joined(separator: " "),
                     cpus.map { String(format: "%.3f", $0) }.joined(separator: " ")))
        return Phase(name: name, wall: walls.sorted()[walls.count / 2], cpu: cpus.sorted()[cpus.count / 2],
                     peakMiB: samples.compactMap(\.peakMiB).max(), flop: flop)
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// `/proc/loadavg`'s three load averages, or `n/a`.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "n/a" }
        return text.split(separator: " ").prefix(3).joined(separator: " ") + " (1, 5, 15 min)"
    }
}

/// `portrait bench synthetic`: the parametric renderer's frames (identity work is a code lookup).
struct SyntheticBenchmark {
    let runs: Int
    let seed: UInt32

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let model = try SyntheticPortraitModel()
        let loaded = clock.now - start
        let workers = Parallel.workerCount
        let space = model.controlSpace
        print("portrait bench synthetic (renderer \(SyntheticPortraitRenderer.version)): full \(space.imageSize) px, preview \(space.imageSize / 2) px, 2x2 supersampled; median of \(runs) runs, \(workers) workers; loaded in \(String(format: "%.2f", Double(loaded.components.attoseconds) * 1e-18 + Double(loaded.components.seconds))) s")
        print("  machine load before: \(ModelBenchmark.loadAverage())")
        let identity = Controls.Identity.seed(seed, blend: 0)
        let codes = try model.codes(for: identity)
        let prepared = try model.prepareLowResolution(codes: codes, psi: space.defaultPsi, isCancelled: { false })
        var controls = Controls(identity: identity, expression: .named(["jaw_open": 0.3, "smile_left": 0.5]))
        controls.camera.yaw = 15
        controls.joints[3] = [0, 10, -5]
        var rows: [(name: String, target: Double, wall: Double, cpu: Double)] = []
        func measure(_ name: String, target: Double, _ body: (Int) throws -> Void) rethrows {
            try body(runs)  // warm-up
            var walls: [Double] = [], cpus: [Double] = []
            for run in 0..<runs {
                let cpu0 = ResourceUsage.cpuSeconds()
                let t0 = DispatchTime.now().uptimeNanoseconds
                try body(run)
                walls.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
                cpus.append(ResourceUsage.cpuSeconds() - cpu0)
            }
            print(String(format: "  %@: wall %@ s, CPU %@ s", name, walls.map { String(format: "%.4f", $0) }.joined(separator: " "),
                         cpus.map { String(format: "%.4f", $0) }.joined(separator: " ")))
            rows.append((name, target, walls.sorted()[walls.count / 2], cpus.sorted()[cpus.count / 2]))
        }
        try measure("identity (codes of a seed)", target: .nan) { _ in _ = try model.codes(for: identity) }
        // Each run poses the figure anew (another jaw value): the model keeps the last posed figure, which
        // only frames of the same pose reuse (the last row: the studio's full frame after its preview).
        func posed(_ run: Int, _ quality: Controls.Quality) -> Controls {
            var c = controls
            c.expression = .named(["jaw_open": 0.3 + 0.01 * Double(run), "smile_left": 0.5])
            c.quality = quality
            return c
        }
        for quality in [Controls.Quality.preview, .full] {
            let side = quality == .full ? space.imageSize : space.imageSize / 2
            try measure("frame \(quality.rawValue) (\(side)² px)", target: quality == .full ? 0.150 : 0.030) { run in
                _ = try model.render(identity: prepared, controls: posed(run, quality), isCancelled: { false })
            }
        }
        _ = try model.render(identity: prepared, controls: posed(0, .preview), isCancelled: { false })
        try measure("frame full, pose of the last frame", target: 0.150) { _ in
            _ = try model.render(identity: prepared, controls: posed(0, .full), isCancelled: { false })
        }
        print("")
        print(pad("phase", 40) + pad("wall ms", 10) + pad("CPU ms", 10) + "target ms")
        for row in rows {
            print(pad(row.name, 40) + pad(String(format: "%.1f", row.wall * 1000), 10) + pad(String(format: "%.1f", row.cpu * 1000), 10)
                  + (row.target.isNaN ? "-" : String(format: "%.0f", row.target * 1000)))
        }
        print("")
        print("  The renderer draws a frame on one thread: on an otherwise idle machine its wall time is its CPU time;")
        print("  on a shared machine read the CPU column against the targets.")
        print("  machine load after: \(ModelBenchmark.loadAverage())")
    }
}

/// CPU time and peak resident memory of this process (Linux).
enum ResourceUsage {
    /// User + system CPU time of all threads so far, seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    /// Peak resident set since start or the last `resetPeakResident()` (`VmHWM`), MiB; falls back to
    /// `getrusage`'s `ru_maxrss` (never reset) where `/proc` is unavailable.
    static func peakResidentMiB() -> Double? {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                if let kib = line.split(separator: " ").compactMap({ Double($0) }).first { return kib / 1024 }
            }
        }
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return Double(usage.ru_maxrss) / 1024
    }

    /// Resets `VmHWM` to the current resident set (`echo 5 > /proc/self/clear_refs`, Linux ≥ 4.0); a no-op
    /// where that is not allowed.
    static func resetPeakResident() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5".utf8))
        try? handle.close()
    }
}
