import CBLAS
import Foundation

/// Timings of the numerical kernels for `portrait bench --kernels` (medians of several runs).
public enum KernelBenchmark {
    /// One measured line of the table.
    public struct Measurement: Sendable {
        /// What was measured, e.g. `sgemm 65536x128x128 (m x k x n)`.
        public let kernel: String
        /// The variant, e.g. `wrapper` or `cblas direct`.
        public let variant: String
        public let threads: Int
        /// Median wall time of one run (seconds).
        public let seconds: Double
        /// Median process CPU time (user + system, all threads) of one run (seconds).
        public let cpuSeconds: Double
        /// Work per wall-clock second in `unit` (GFLOP/s or M elements/s).
        public let rate: Double
        public let unit: String

        public init(kernel: String, variant: String, threads: Int, time: Time, work: Double, unit: String) {
            self.kernel = kernel
            self.variant = variant
            self.threads = threads
            seconds = time.wall
            cpuSeconds = time.cpu
            rate = work / time.wall
            self.unit = unit
        }

        /// Work per second if every thread had a core of its own: `work · threads / cpuSeconds` (a
        /// load-independent figure on a shared machine; equals `rate` on an idle one when the threads are busy).
        public var ratePerCoreSet: Double { rate * seconds / cpuSeconds * Double(threads) }
    }

    /// Wall-clock and process CPU time of one run (seconds).
    public struct Time: Sendable {
        public let wall: Double
        public let cpu: Double
    }

    /// Process CPU time (user + system) so far, seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    /// Median wall and CPU times of `runs` calls of `body` after one warm-up call.
    public static func measure(runs: Int, _ body: () -> Void) -> Time {
        body()
        var walls = [Double](), cpus = [Double]()
        for _ in 0..<max(1, runs) {
            let cpu0 = processCPUSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            walls.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
            cpus.append(processCPUSeconds() - cpu0)
        }
        return Time(wall: walls.sorted()[walls.count / 2], cpu: cpus.sorted()[cpus.count / 2])
    }

    /// A buffer of `count` values in [−1, 1) from a fixed sequence.
    static func buffer(_ count: Int, seed: UInt32 = 1) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        var s = seed
        for i in 0..<count {
            s = s &* 1_664_525 &+ 1_013_904_223
            p[i] = Float(s >> 8) / Float(1 << 23) - 1
        }
        return p
    }

    /// GEMM `C[m, n] = A[m, k] · B[k, n]` through `GEMM.sgemm` and through `cblas_sgemm` directly, with
    /// OpenBLAS set to `threads` threads; runs alternate between the two so drift affects both alike.
    public static func gemm(m: Int, k: Int, n: Int, threads: Int, runs: Int) -> [Measurement] {
        let a = buffer(m * k), b = buffer(k * n, seed: 2), c = buffer(m * n, seed: 3)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let saved = GEMM.threads  // also selects the kernels before the direct calls below
        GEMM.setThreads(threads)
        defer { GEMM.setThreads(saved) }
        let wrapper = {
            GEMM.sgemm(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n)
        }
        let direct = {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                        1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
        }
        var tw = [Time](), td = [Time]()
        for _ in 0..<max(1, runs) {
            tw.append(measure(runs: 1, wrapper))
            td.append(measure(runs: 1, direct))
        }
        func median(_ t: [Time]) -> Time {
            Time(wall: t.map(\.wall).sorted()[t.count / 2], cpu: t.map(\.cpu).sorted()[t.count / 2])
        }
        let gflop = 2.0 * Double(m) * Double(k) * Double(n) * 1e-9
        let name = "sgemm \(m)x\(k)x\(n) (m x k x n)"
        return [Measurement(kernel: name, variant: "wrapper", threads: threads, time: median(tw), work: gflop, unit: "GFLOP/s"),
                Measurement(kernel: name, variant: "cblas direct", threads: threads, time: median(td), work: gflop, unit: "GFLOP/s")]
    }

    /// `Conv2D.forward` on `batch` images (parallel tiles, OpenBLAS single-threaded inside) and, for
    /// comparison, whole-image im2col with one multi-threaded GEMM per image.
    public static func conv2d(batch: Int, inChannels: Int, outChannels: Int, size: Int, kernel: Int,
                              runs: Int) throws -> [Measurement] {
        let g = try Conv2DGeometry(inChannels: inChannels, outChannels: outChannels, height: size, width: size, kernel: kernel)
        let whole = try Conv2DGeometry(inChannels: inChannels, outChannels: outChannels, height: size, width: size,
                                       kernel: kernel, tileBudget: Int.max)
        let x = buffer(batch * g.inputCount), w = buffer(outChannels * inChannels * kernel * kernel, seed: 4)
        let bias = buffer(outChannels, seed: 5), y = buffer(batch * g.outputCount, seed: 6)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(Conv2D.batchScratchCount(g), whole.scratchCount, 1))
        defer { x.deallocate(); w.deallocate(); bias.deallocate(); y.deallocate(); scratch.deallocate() }
        let gflop = 2.0 * Double(batch) * Double(g.outputCount) * Double(inChannels * kernel * kernel) * 1e-9
        let name = "conv2d \(batch)x\(inChannels)x\(size)x\(size) -> \(outChannels), \(kernel)x\(kernel)"
        var out = [Measurement]()
        let tiled = measure(runs: runs) {
            Conv2D.forward(g, batch: batch, input: x, weight: w, bias: bias, output: y, scratch: scratch)
        }
        out.append(Measurement(kernel: name, variant: "tiles \(g.tileRows) rows, parallel", threads: Parallel.workerCount,
                               time: tiled, work: gflop, unit: "GFLOP/s"))
        let saved = GEMM.threads
        GEMM.setThreads(Parallel.workerCount)
        let big = measure(runs: runs) {
            for i in 0..<batch {
                Conv2D.run(whole, input: x + i * g.inputCount, weight: w, bias: bias, output: y + i * g.outputCount,
                           scratch: scratch)
            }
        }
        GEMM.setThreads(saved)
        out.append(Measurement(kernel: name, variant: "whole image, threaded GEMM", threads: Parallel.workerCount,
                               time: big, work: gflop, unit: "GFLOP/s"))
        return out
    }

    /// `DepthwiseConv3D.forward` on `[1, channels, depth, size, size]`, kernel `kd x k x k`, "same" reflect padding.
    public static func depthwiseConv3d(channels: Int, depth: Int, size: Int, kernel: (Int, Int, Int), runs: Int) throws -> Measurement {
        let g = try DepthwiseConv3DGeometry(channels: channels, depth: depth, height: size, width: size, kernel: kernel)
        let x = buffer(channels * g.volumeCount), w = buffer(channels * g.taps, seed: 7)
        let y = buffer(channels * g.outVolumeCount, seed: 8)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: DepthwiseConv3D.batchScratchCount(g))
        defer { x.deallocate(); w.deallocate(); y.deallocate(); scratch.deallocate() }
        let t = measure(runs: runs) {
            DepthwiseConv3D.forward(g, batch: 1, input: x, weight: w, output: y, scratch: scratch)
        }
        let gflop = 2.0 * Double(channels * g.outVolumeCount * g.taps) * 1e-9
        return Measurement(kernel: "depthwise conv3d [1,\(channels),\(depth),\(size),\(size)] \(kernel.0)x\(kernel.1)x\(kernel.2)",
                           variant: "reflect pad", threads: Parallel.workerCount, time: t, work: gflop, unit: "GFLOP/s")
    }

    /// Grid sample of a `[channels, size, size]` map at `points` random positions (border, align false).
    public static func gridSample(channels: Int, size: Int, points: Int, runs: Int) -> Measurement {
        let map = buffer(channels * size * size), grid = buffer(points * 2, seed: 9), y = buffer(channels * points, seed: 10)
        defer { map.deallocate(); grid.deallocate(); y.deallocate() }
        let t = measure(runs: runs) {
            GridSample.run(input: map, channels: channels, height: size, width: size, grid: grid, points: points,
                           padding: .border, alignCorners: false, output: y, channelStride: points)
        }
        return Measurement(kernel: "grid sample \(channels)x\(size)x\(size), \(points) points", variant: "border",
                           threads: 1, time: t, work: Double(points) * 1e-6, unit: "M points/s")
    }

    /// `VectorMath` `sin` / `exp` against scalar libm (`Foundation.sin(Float)`, glibc `sinf`) on `count`
    /// arguments in [−100, 100], on 1 thread and on `Parallel.workerCount` threads.
    public static func transcendental(_ function: ElementwiseFunction, count: Int, runs: Int) -> [Measurement] {
        let x = buffer(count), y = buffer(count, seed: 11)
        defer { x.deallocate(); y.deallocate() }
        for i in 0..<count { x[i] *= 100 }
        let name = "\(function) over \(count) floats"
        let scalar: (Int, Int) -> Void = { start, n in
            switch function {
            case .exp: for i in start..<(start + n) { y[i] = Foundation.exp(x[i]) }
            default: for i in start..<(start + n) { y[i] = Foundation.sin(x[i]) }
            }
        }
        let workers = Parallel.workerCount
        let chunk = (count + workers - 1) / workers
        let parallelScalar = {
            Parallel.forEach(workers) { c in scalar(c * chunk, min(chunk, count - c * chunk)) }
        }
        let rows: [(String, Int, () -> Void)] = [
            ("scalar libm", 1, { scalar(0, count) }),
            ("scalar libm", workers, parallelScalar),
            ("SIMD", 1, { VectorMath.apply(function, x, y, count: count) }),
            ("SIMD", workers, { VectorMath.applyParallel(function, x, y, count: count) }),
        ]
        return rows.map { variant, threads, body in
            Measurement(kernel: name, variant: variant, threads: threads, time: measure(runs: runs, body),
                        work: Double(count) * 1e-6, unit: "M elements/s")
        }
    }
}
