import ArgumentParser
import Foundation
import Numerics

/// `portrait bench`: speed measurements.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: --kernels times the numerical kernels (GEMM, convolutions, SIMD math).")

    @Flag(help: "Time GEMM (our wrapper vs cblas_sgemm, 1 and 2 threads), conv2d, depthwise conv3d, grid sample and SIMD sin/exp vs scalar libm.")
    var kernels = false

    @Option(help: "Runs per measurement (the median is reported).")
    var runs = 5

    @Option(help: "Only kernels whose name contains this text (e.g. sgemm, conv2d, sin).")
    var filter: String?

    func run() throws {
        guard kernels else {
            throw ValidationError("nothing to measure: pass --kernels")
        }
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

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
