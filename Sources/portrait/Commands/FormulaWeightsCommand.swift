import ArgumentParser
import Foundation
import Generator

/// `portrait formula-weights` (hidden): the reference data's synthetic weights, rebuilt from a
/// `manifest.json` with the counter-based formula of `reference/README.md` ("Weights"), as a safetensors
/// file. The official-shape reference ships no weights; this builds them (write them to a cache or
/// temporary folder, never into the reference folder).
struct FormulaWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formula-weights",
        abstract: "Build the reference formula weights of a manifest.json as a safetensors file.",
        shouldDisplay: false)

    @Argument(help: "A reference manifest.json (e.g. reference/official-shape/manifest.json).")
    var manifest: String

    @Option(name: .shortAndLong, help: "Output .safetensors file.")
    var output: String

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let weights = try FormulaWeights.build(manifestPath: manifest)
        try weights.writeSafetensors(to: output, metadata: ["source": "formula weights of \(manifest)"])
        let count = weights.tensors.values.reduce(0) { $0 + $1.count }
        print("wrote \(weights.tensors.count) tensors (\(count) values) to \(output) in \(clock.now - start)")
    }
}
