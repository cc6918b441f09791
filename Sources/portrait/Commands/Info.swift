import ArgumentParser
import Foundation
import Generator
import ModelIO
import Synth

/// `portrait info MODEL`: what a bundle holds, or what the `synthetic` model is.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a .portrait bundle (format, sizes, parameters, controls, samplers, provenance, unknown tensors) or the synthetic model.")

    @Argument(help: "A .portrait file, the name of a bundle in $XDG_DATA_HOME/portrait-studio/models/, builtin or synthetic.")
    var model: String

    @Flag(help: "Also check provenance.data_sha256 against the data and that every float tensor is finite.")
    var verify = false

    func run() throws {
        if model == BuiltinModel.syntheticName {
            let synthetic = try SyntheticPortraitModel()
            print(Self.describe(synthetic), terminator: "")
            if verify { print("verify        nothing to verify: the synthetic model is code, not data") }
            return
        }
        let bundle = try PortraitBundle(path: try ModelLocator.path(for: model))
        print(Self.describe(bundle), terminator: "")
        if verify {
            try bundle.verify()
            let floats = bundle.file.tensors.filter { $0.dtype.isFloatingPoint }.count
            print("verify        ok: data_sha256 matches, \(floats) float tensors finite")
        }
    }

    /// The synthetic model's report: version, identity in favourites, controls, sizes.
    static func describe(_ model: SyntheticPortraitModel) -> String {
        let space = model.controlSpace
        let names = space.expressionNames ?? []
        let lines: [(String, String)] = [
            ("model", "synthetic (the parametric renderer: the built-in body and face, rasterised; no weights)"),
            ("version", "renderer \(SyntheticPortraitRenderer.version); identity in favourites and trajectories synthetic/\(SyntheticPortraitRenderer.version)"),
            ("sizes", "full \(space.imageSize) px (2x2 supersampled), preview \(space.imageSize / 2) px, LR \(space.lowResolutionSize) px (area average)"),
            ("codes", "identity \(model.identityDimension), shape \(model.shapeDimension); seed N = image 0 of portrait synth --seed N"),
            ("controls", "\(space.expressionDim) expressions (\(names.prefix(4).joined(separator: ", ")), ...), range [\(space.expressionRange.lowerBound), \(space.expressionRange.upperBound)], default psi \(space.defaultPsi) (psi 0 = the mean person)"),
            ("presets", "\(space.expressionPresetCount) expressions (the corpus distribution, seeds 0...\(space.expressionPresetCount - 1))"),
            ("views", "portrait camera (yaw, pitch), face camera relative to the posed head; six joints pose the body"),
            ("depth", String(format: "distance from the camera, shown over [%.3f, %.3f]", space.depthRange.lowerBound, space.depthRange.upperBound)),
        ]
        return lines.map { label, value in
            label + String(repeating: " ", count: max(1, 14 - label.count)) + value + "\n"
        }.joined()
    }

    /// The report, one `label  value` line each.
    static func describe(_ bundle: PortraitBundle) -> String {
        let m = bundle.metadata
        let g = m.generator
        var lines: [(String, String)] = []
        func bytes(_ n: Int) -> String {
            n >= 1 << 20 ? String(format: "%.1f MiB", Double(n) / Double(1 << 20)) : String(format: "%.1f KiB", Double(n) / 1024)
        }
        func grouped(_ n: Int) -> String {
            let s = String(n)
            var out = ""
            for (i, c) in s.enumerated() {
                if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
                out.append(c)
            }
            return out
        }
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: bundle.path)[.size] as? Int) ?? 0
        lines.append(("model", bundle.path))
        lines.append(("format", "\(m.format), name '\(m.name)'"))
        lines.append(("size", "\(bytes(fileSize)) file, \(bytes(bundle.file.dataSection.count)) data, \(bundle.file.tensors.count) tensors"))
        let up = g.srNetKwargs.upChannels.map(String.init).joined(separator: ",")
        lines.append(("generator", "\(g.generatorClass): LR \(g.lrImageSize) -> HR \(g.hrImageSize), hidden \(g.hiddenDim), sample \(g.hiddenDimSample), features \(g.featureDim), \(g.numManifolds) manifolds, \(g.numSamples) samples"))
        lines.append(("sr net", "nf \(g.srNetKwargs.nf), nb \(g.srNetKwargs.nb), gc \(g.srNetKwargs.gc), up_channels [\(up)], style \(g.styleDim)"))
        lines.append(("codes", "identity \(g.identityDim), noise \(g.noiseDim), expression \(g.expressionDim), shape \(g.shapeDim)"))
        lines.append(("parameters", "\(grouped(bundle.parameterCount)) (generator, without body buffers and the smoother alias)"))
        let vertices = bundle.file.info("renderer.smpl_model.v_template")?.shape.first ?? 0
        let faces = bundle.file.info("renderer.smpl_model.faces_tensor")?.shape.first
        let knn = bundle.file.info("body.knn_index")?.shape.first ?? 0
        let body = m.rendering.body
        lines.append(("body", "\(body.kind), \(vertices) vertices\(faces.map { ", \($0) faces" } ?? ""), pose blend shapes \(body.poseBlendShapes ? "yes" : "no"), KNN over \(knn) vertices"))
        let names = m.controls.expressionNames.map { $0.prefix(4).joined(separator: ", ") + ($0.count > 4 ? ", ..." : "") }
            ?? "numbered e00...e\(String(format: "%02d", max(g.expressionDim - 1, 0)))"
        lines.append(("controls", "\(g.expressionDim) expressions (\(names)), range [\(m.controls.expressionRange.map { String($0) }.joined(separator: ", "))], default psi \(m.controls.defaultPsi)"))
        let samplers = m.samplers.byTensorName.filter { $0.rows > 0 || !$0.name.hasSuffix("_face") }
            .map { "\($0.name.dropFirst("samplers.".count)) \($0.rows > 0 ? "\($0.rows) rows" : "absent")" }
        lines.append(("samplers", samplers.joined(separator: ", ")))
        lines.append(("truncation", "\(m.truncation.source) (\(m.truncation.samples) samples)"))
        var provenance = m.provenance.source
        if let corpus = m.provenance.corpus { provenance += ", corpus seed \(corpus.seed) x \(corpus.count)" }
        if let training = m.provenance.training {
            provenance += ", trained \(training.steps) steps (\(training.stages.joined(separator: ", "))), \(training.cpuHours) CPU hours"
        }
        lines.append(("provenance", provenance))
        for file in m.provenance.files { lines.append(("  file", "\(file.name) sha256 \(file.sha256)")) }
        lines.append(("data_sha256", m.provenance.dataSha256))
        lines.append(("unknown", bundle.unknownTensors.isEmpty ? "none" : bundle.unknownTensors.joined(separator: ", ")))
        return lines.map { label, value in
            label + String(repeating: " ", count: max(1, 14 - label.count)) + value + "\n"
        }.joined()
    }
}
