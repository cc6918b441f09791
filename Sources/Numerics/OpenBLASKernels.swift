import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Chooses OpenBLAS's kernels once per process, before the first BLAS call.
///
/// Debian's OpenBLAS 0.3.21 is built with `DYNAMIC_ARCH` and picks kernels from the CPU model; on CPUs it
/// does not know (e.g. Sapphire Rapids) it falls back to `Prescott` (SSE3) kernels, 3x slower than the
/// AVX2/AVX-512 ones the CPU can run. When `OPENBLAS_CORETYPE` is not set by the user and the detected core
/// is not one of the AVX2 families, this switches to `SkylakeX` (AVX-512 F/BW/VL/DQ/CD present) or
/// `Haswell` (AVX2 + FMA) through OpenBLAS's own `gotoblas_dynamic_quit` / `gotoblas_dynamic_init` with
/// `OPENBLAS_CORETYPE` set (the same path as setting the variable before start). Nothing happens when the
/// library has no such entry points (a build without `DYNAMIC_ARCH`) or the CPU flags cannot be read.
enum OpenBLASKernels {
    /// Runs `configure()` once, thread-safely (Swift's lazy static initialisation).
    static let configured: Void = configure()

    /// Core families whose kernels use AVX2 or better.
    static let fastCores: Set<String> = ["haswell", "skylakex", "cooperlake", "sapphirerapids", "zen"]

    static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    static func configure() {
        #if os(Linux) && arch(x86_64)
        guard getenv("OPENBLAS_CORETYPE") == nil, !fastCores.contains(coreName.lowercased()),
              let flags = cpuFlags() else { return }
        let target: String
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains) {
            target = "SkylakeX"
        } else if flags.contains("avx2") && flags.contains("fma") {
            target = "Haswell"
        } else {
            return
        }
        guard let quit = dlsym(nil, "gotoblas_dynamic_quit"), let initialise = dlsym(nil, "gotoblas_dynamic_init") else {
            return
        }
        typealias Entry = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", target, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialise, to: Entry.self)()
        #endif
    }

    /// The `flags` of the first processor in `/proc/cpuinfo`.
    static func cpuFlags() -> Set<String>? {
        guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            if text.hasPrefix("flags") {
                guard let colon = text.firstIndex(of: ":") else { return nil }
                return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            }
        }
        return nil
    }
}
