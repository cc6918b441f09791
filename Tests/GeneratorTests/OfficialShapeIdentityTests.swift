import Foundation
import Testing
@testable import Generator
import ModelIO
import Numerics

/// Peak resident memory of this process so far (VmHWM), in MiB; nil where /proc is unavailable.
func peakResidentMiB() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kib = line.split(separator: " ").compactMap { Double($0) }.first
        return kib.map { $0 / 1024 }
    }
    return nil
}

/// CPU time of this process so far (all threads), in seconds.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The identity stage at the official SSHQ512_inf shape with the formula weights of
/// `official-shape/manifest.json` (24 maps, 128 → 512). Long: run by `make parity-full`
/// (PORTRAIT_PARITY_FULL=1). official-shape dumps no identity-stage outputs, so this checks that the
/// stage runs within bounds (finite maps in [0, 1], memory) and reports its time and peak memory.
@Suite struct OfficialShapeIdentityTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PORTRAIT_PARITY_FULL"] != nil,
                   "long: run with `make parity-full`"))
    func officialShapeIdentity() throws {
        let dir = try ReferenceData.directory("official-shape")
        let clock = ContinuousClock()
        let t0 = clock.now
        let weights = try FormulaWeights.build(manifestPath: dir.appendingPathComponent("manifest.json").path)
        func mean(_ f: String) throws -> [Float] { try ReferenceData.npy(dir.appendingPathComponent(f)).floats }
        let means = try TruncationMeans(frequencies: mean("avg_frequencies.npy"), phases: mean("avg_phase_shifts.npy"),
                                        w: mean("sr_avg_w.npy"), style: mean("sr_avg_style.npy"))
        let config = try JSONDecoder().decode(
            GeneratorConfiguration.self,
            from: JSONSerialization.data(withJSONObject: try #require(
                ReferenceData.json(dir.appendingPathComponent("config.json"))["generator_kwargs"])))
        #expect(config == .sshq512)
        let stage = try IdentityStage(weights: weights, configuration: config, means: means)
        let inputs = try ReferenceData.json(dir.appendingPathComponent("identities/id_a_psi0p7/inputs.json"))
        let url = dir.appendingPathComponent("identities/id_a_psi0p7/inputs.json")
        let zId = try ReferenceData.floats(inputs, "z_id", in: url)
        let noise = try ReferenceData.floats(inputs, "z_noise", in: url)
        let psi = try #require(inputs["psi"] as? Double)
        let t1 = clock.now
        let c1 = processCPUSeconds()
        let found = try stage.intersections()
        let t2 = clock.now
        let c2 = processCPUSeconds()
        let z = try stage.latent(identity: zId, noise: noise)
        let (rawF, rawPhi) = stage.radianceMapping(z)
        let features = try LowResolutionMaps.features(
            radianceNet: stage.radianceNet,
            frequencies: Truncation.truncate(average: means.frequencies, raw: rawF, psi: psi),
            phases: Truncation.truncate(average: means.phases, raw: rawPhi, psi: psi),
            intersections: found, configuration: config)
        let t3 = clock.now
        let c3 = processCPUSeconds()
        let style = Truncation.style(average: means.style, style: stage.srMapping.style(fromW: stage.srMapping.w(z)), psi: psi)
        let hr = try stage.srNet.hrMaps(lrFeatures: features, style: style)
        let t4 = clock.now
        let c4 = processCPUSeconds()
        let valid = found.validity.scalars.reduce(0, +)
        func cpu(_ a: Double, _ b: Double) -> String { String(format: "%.1f CPU-s", b - a) }
        print("[official-shape] CPU time (shared machine: wall time depends on the load): level field + crossings \(cpu(c1, c2)), radiance LR maps \(cpu(c2, c3)), SR HR maps \(cpu(c3, c4)), identity total \(cpu(c1, c4)) on \(Parallel.workerCount) workers")
        print("[official-shape] weights+setup \(t1 - t0), level field + crossings \(t2 - t1), radiance LR maps \(t3 - t2), SR HR maps \(t4 - t3), identity total \(t4 - t1); valid pairs \(Int(valid)) of \(found.validity.count); peak RSS \(peakResidentMiB().map { String(format: "%.0f MiB", $0) } ?? "n/a")")
        #expect(hr.shape == [24, 4, 512, 512])
        #expect(hr.scalars.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(features.scalars.allSatisfy { $0.isFinite })
        // Identity-stage branch counts of reference/README.md: 123755 interpolated + 3267 x_h + 2 touches
        // are valid (a float32 re-implementation may differ by a pair or two).
        #expect(abs(Int(valid) - (123_755 + 3267 + 2)) <= 4)
        if let peak = peakResidentMiB() { #expect(peak < 2048) }
    }
}
