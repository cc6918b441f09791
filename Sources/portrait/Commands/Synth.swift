import ArgumentParser
import Foundation
import Synchronization
import Synth

/// `portrait synth`: the synthetic labelled portrait corpus (and `--check` of an existing one).
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Make a synthetic labelled corpus of head-and-shoulder portraits (or check one with --check).",
        discussion: """
            Writes portraits/NNNNNN.png (portrait camera), faces/NNNNNN.png (face camera), labels.jsonl \
            (camera, joints, shape, identity, expression, face camera, 68 landmarks in both images, \
            appearance), meta.json (written last) and contact_sheet.png. The same seed gives the same bytes. \
            Layout and distributions: docs/formats.md.
            """)

    @Option(name: .shortAndLong, help: "Output folder (new or empty; --force replaces a corpus there).")
    var output: String?
    @Option(help: "Number of portraits.") var count = 100
    @Option(help: "Seed of the corpus.") var seed: UInt64 = 0
    @Option(help: "Portrait size in pixels.") var size = 256
    @Option(help: "Face-crop size in pixels (default: half the portrait size).") var faceSize: Int?
    @Flag(help: "Replace the corpus files in a non-empty output folder.") var force = false
    @Option(help: "Check the corpus in this folder (labels, files, image sizes) instead of making one.")
    var check: String?

    func validate() throws {
        if check == nil && output == nil { throw ValidationError("give -o DIR (or --check DIR)") }
        guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be within 1...10000000") }
        guard (16...2048).contains(size) else { throw ValidationError("--size must be within 16...2048") }
        if let faceSize, !(16...2048).contains(faceSize) { throw ValidationError("--face-size must be within 16...2048") }
    }

    func run() throws {
        if let check {
            let started = Date()
            let images = try CorpusFolder(path: check).check()
            print(String(format: "%@: %d portraits, labels and images consistent (%.1f s)", check, images,
                         Date().timeIntervalSince(started)))
            return
        }
        guard let output else { return }
        let renderer = try SyntheticPortraitRenderer(size: size, faceSize: faceSize ?? max(16, size / 2))
        let destination = try CorpusOutput.prepare(path: output, force: force)
        let builder = CorpusBuilder(renderer: renderer, seed: seed)
        let bar = Mutex(ProgressBar(total: count))
        let started = Date()
        try builder.build(count: count, into: destination) { done in
            bar.withLock { $0.update(done: max($0.done, done)) }
        }
        bar.withLock { $0.finish() }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "%@: %d portraits at %d px with %d px faces in %.1f s (%.1f per second)", output, count,
                     renderer.size, renderer.faceSize, seconds, Double(count) / seconds))
    }
}
