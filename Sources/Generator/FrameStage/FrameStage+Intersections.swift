import Numerics
import Synchronization

extension FrameStage {
    /// The per-ray results of F7–F10.
    struct Intersections {
        /// `[n², M, 3]`: `intersections_canonical` (world + warped deformation).
        var canonical: Tensor
        /// `[n², M]`: validity 0/1.
        var valid: Tensor
        /// `[n², M, 3]`: from the canonical points (`intersections_smpl`), when traced.
        var smpl: Tensor?
        /// `[n², M, 3]`: from the target points (`intersections_target`), when traced.
        var target: Tensor?
    }

    /// F7–F10 over tiles of rays: upsample the canonical samples D → D' (align_corners = true), run the
    /// DeformNet on the once-warped points, the SampleNet on the deformed, doubly warped points, and search
    /// every level's first downward crossing. `target` (when given) is interpolated the same way for the
    /// trace.
    func intersect(canonical: Tensor, target: Tensor?, plan: Plan, modulation: DeformModulation,
                   isCancelled: @Sendable () -> Bool) throws -> Intersections {
        let n = plan.rays, rayCount = n * n
        let d = plan.samples, points = plan.points
        let m = levels.count
        let axis = try LinearResampleAxis(inCount: d, outCount: points, alignCorners: true)
        let tileRays = max(1, Self.tileRows / points)
        let tiles = (rayCount + tileRays - 1) / tileRays
        let rows = tileRays * points
        // Per-worker scratch: upsampled points, warped points, deformation, net input, level field, net scratch.
        let deformScratch = deformNet.scratchCount(rows: rows)
        let sampleScratch = sampleNet.scratchCount(rows: rows)
        let perWorker = 4 * rows * 3 + rows + deformScratch + sampleScratch
        let workers = min(Parallel.workerCount, tiles)
        var scratch = [Float](repeating: 0, count: perWorker * max(1, workers))

        var ican = Tensor.zeros([rayCount, m, 3])
        var valid = Tensor.zeros([rayCount, m])
        let traced = target != nil
        var smpl = Tensor.zeros(traced ? [rayCount, m, 3] : [0])
        var fromTarget = Tensor.zeros(traced ? [rayCount, m, 3] : [0])
        let warp = SampleNet.warp
        let levels = self.levels
        let deformNet = self.deformNet, sampleNet = self.sampleNet
        let cancelled = Atomic<Bool>(false)
        let profile = StageProfile.shared

        canonical.withUnsafeBufferPointer { xu in
        (target ?? Tensor.zeros([0])).withUnsafeBufferPointer { xw in
        scratch.withUnsafeMutableBufferPointer { all in
        ican.withUnsafeMutableBufferPointer { outC in
        valid.withUnsafeMutableBufferPointer { outV in
        smpl.withUnsafeMutableBufferPointer { outS in
        fromTarget.withUnsafeMutableBufferPointer { outT in
        axis.index0.withUnsafeBufferPointer { i0 in axis.index1.withUnsafeBufferPointer { i1 in
        axis.lambda0.withUnsafeBufferPointer { l0 in axis.lambda1.withUnsafeBufferPointer { l1 in
            Parallel.forEachWithWorker(tiles) { tile, worker in
                if cancelled.load(ordering: .relaxed) { return }
                if isCancelled() { cancelled.store(true, ordering: .relaxed); return }
                let base = worker * perWorker
                var offset = base
                func carve(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
                    defer { offset += count }
                    return UnsafeMutableBufferPointer(rebasing: all[offset..<(offset + count)])
                }
                let yu = carve(rows * 3), cw = carve(rows * 3), delta = carve(rows * 3), g = carve(rows * 3)
                let s = carve(rows)
                let ds = carve(deformScratch), ss = carve(sampleScratch)
                let first = tile * tileRays
                let last = min(rayCount, first + tileRays)
                let used = (last - first) * points
                // F7: 1-D upsampling of the canonical samples, then the first warp.
                profile.worker(.upsampling) {
                    for p in first..<last {
                        let src = p * d * 3
                        let dst = (p - first) * points * 3
                        for k in 0..<points {
                            let a = src + i0[k] * 3, b = src + i1[k] * 3
                            for c in 0..<3 {
                                let v = l0[k] * xu[a + c] + l1[k] * xu[b + c]
                                yu[dst + 3 * k + c] = v
                                cw[dst + 3 * k + c] = v * warp
                            }
                        }
                    }
                }
                // F8: the deformation; F9: the level field on the second warp.
                profile.worker(.deformNet) {
                    deformNet.evaluate(UnsafeBufferPointer(cw), rows: used, modulation: modulation, scratch: ds, into: delta)
                }
                profile.worker(.sampleNet) {
                    for r in 0..<used {
                        let c = SIMD3(cw[3 * r] + delta[3 * r], cw[3 * r + 1] + delta[3 * r + 1], cw[3 * r + 2] + delta[3 * r + 2])
                        let gi = SampleNet.input(warpedOnce: c)
                        g[3 * r] = gi.x; g[3 * r + 1] = gi.y; g[3 * r + 2] = gi.z
                    }
                    sampleNet.evaluate(UnsafeBufferPointer(g), rows: used, scratch: ss, into: s)
                }
                // F10: per ray and level, the first downward crossing.
                let sv = UnsafeBufferPointer(s)
                func at(_ v: UnsafeMutableBufferPointer<Float>, _ i: Int) -> SIMD3<Float> {
                    SIMD3(v[3 * i], v[3 * i + 1], v[3 * i + 2])
                }
                profile.worker(.crossingSearch) {
                    for p in first..<last {
                        let local = (p - first) * points
                        for (li, level) in levels.enumerated() {
                            let hit = CrossingSearch.find(sv, start: local, count: points, level: level)
                            let lo = local + hit.index, hi = lo + 1
                            let iu = hit.interpolate(at(yu, lo), at(yu, hi))
                            let id = hit.interpolate(at(delta, lo), at(delta, hi))
                            let ic = iu + id
                            let o = (p * m + li) * 3
                            outC[o] = ic.x; outC[o + 1] = ic.y; outC[o + 2] = ic.z
                            outV[p * m + li] = hit.isValid ? 1 : 0
                            if outS.count > 0 {
                                outS[o] = iu.x; outS[o + 1] = iu.y; outS[o + 2] = iu.z
                                // The target points upsampled at the two samples of the interval.
                                func upsampledTarget(_ k: Int) -> SIMD3<Float> {
                                    let a = (p * d + i0[k]) * 3, b = (p * d + i1[k]) * 3
                                    return SIMD3(l0[k] * xw[a] + l1[k] * xw[b], l0[k] * xw[a + 1] + l1[k] * xw[b + 1],
                                                 l0[k] * xw[a + 2] + l1[k] * xw[b + 2])
                                }
                                let it = hit.interpolate(upsampledTarget(hit.index), upsampledTarget(hit.index + 1))
                                outT[o] = it.x; outT[o + 1] = it.y; outT[o + 2] = it.z
                            }
                        }
                    }
                }
            }
        } } } } } } } } } } }
        if cancelled.load(ordering: .relaxed) { throw CancellationError() }
        return Intersections(canonical: ican, valid: valid, smpl: traced ? smpl : nil, target: traced ? fromTarget : nil)
    }
}

