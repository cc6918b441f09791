import Foundation
import ModelIO
import Testing

/// `portrait render` on bad controls and bad bundles: one `error:` line, a non-zero exit, no output file.
@Suite(.serialized) struct RenderBadInputCLITests {
    /// Imports ref-tiny (with its means) into `work`.
    static func importedModel(_ work: String) throws -> String {
        let model = work + "/m.portrait"
        let imported = try CLIRunner.run(ImportInfoCLITests.importArguments(CLIRunner.reference, output: model))
        #expect(imported.status == 0, "import failed: \(imported.stderr)")
        return model
    }

    /// Runs `arguments`; expects `status`, a single stderr line mentioning `mention`, and no file at `output`.
    static func expectFailure(_ arguments: [String], status: Int32, mentions mention: String, output: String) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.status == status, "\(arguments): exit \(r.status), \(r.stderr)")
        let lines = r.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if status == 1 {
            #expect(lines.count == 1 && r.stderr.hasPrefix("error: "), "\(arguments): \(r.stderr)")
        }
        #expect(r.stderr.contains(mention), "\(arguments): expected '\(mention)' in \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "\(arguments) left \(output)")
    }

    @Test func badControlsAreOneErrorLine() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = try Self.importedModel(work)
        let output = work + "/out.png"
        let documents: [(String, String)] = [
            (#"{"format": "portrait-controls/1", "identity": {"seed": 1}, "camera": {"yaw": NaN, "pitch": 0}}"#, "camera.yaw"),
            (#"{"format": "portrait-controls/1", "identity": {"seed": 1}, "joints": {"head": [0, Infinity, 0]}}"#, "joints.head[1]"),
            (#"{"format": "portrait-controls/1", "identity": {"seed": 1}, "expression": [0.5, 0.25]}"#, "expression"),
            (#"{"format": "portrait-controls/1", "identity": {"seed": 4294967296}}"#, "identity.seed"),
            (#"{"format": "portrait-controls/1", "identity": {"codes": {"identity": [1], "shape": [], "noise": []}}}"#, "identity"),
            (#"{"format": "portrait-controls/2", "identity": {"seed": 1}}"#, "format"),
        ]
        for (index, (document, mention)) in documents.enumerated() {
            let path = work + "/c\(index).json"
            try Data(document.utf8).write(to: URL(fileURLWithPath: path))
            try Self.expectFailure(["render", model, "--controls", path, "-o", output], status: 1, mentions: mention, output: output)
        }
        try Self.expectFailure(["render", model, "--seed", "4294967296", "-o", output], status: 2, mentions: "seed", output: output)
        try Self.expectFailure(["render", model, "--seed", "-1", "-o", output], status: 2, mentions: "seed", output: output)
        try Self.expectFailure(["render", model, "--seed", "3", "--yaw", "nan", "-o", output], status: 1, mentions: "yaw", output: output)
        try Self.expectFailure(["render", model, "--seed", "3", "--exp", "999=1", "-o", output], status: 1, mentions: "999", output: output)
        try Self.expectFailure(["render", model, "--seed", "3", "--pose", "head.w=1", "-o", output], status: 1, mentions: "head.w", output: output)
    }

    /// A bundle whose metadata describes another configuration (hidden_dim doubled) is refused, naming a tensor.
    @Test func bundleFromAnotherConfigurationIsRefused() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = try Self.importedModel(work)
        let file = try SafetensorsFile(path: model)
        let text = try #require(file.metadata["portrait"])
        var document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var generator = try #require(document["generator"] as? [String: Any])
        let hidden = try #require(generator["hidden_dim"] as? Int)
        generator["hidden_dim"] = hidden * 2
        document["generator"] = generator
        var writer = SafetensorsWriter(metadata: ["portrait": String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)])
        for info in file.tensors { try writer.add(info.name, try file.array(info.name)) }
        let other = work + "/other.portrait"
        try writer.write(to: other)
        let output = work + "/out.png"
        try Self.expectFailure(["render", other, "--seed", "1", "-o", output], status: 1, mentions: "tensor '", output: output)
        try Self.expectFailure(["info", other], status: 1, mentions: "expected", output: output)
    }
}
