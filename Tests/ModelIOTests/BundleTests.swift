import Foundation
import Numerics
import Testing
@testable import ModelIO

/// ref-tiny's files as import sources (explicit paths, as the acceptance cases pass them).
func tinySources() throws -> OfficialImport.Sources {
    OfficialImport.Sources(checkpoint: try Reference.path("ref-tiny/generator.pt"),
                           knnIndex: try Reference.path("ref-tiny/valid_smpl_knn_index.npy"),
                           body: try Reference.path("ref-tiny/body/SMPL_NEUTRAL.pkl.gz"),
                           means: try Reference.path("ref-tiny"))
}

/// The ref-tiny bundle writer, assembled once for the suite.
let tinyWriter: Result<BundleWriter, any Error> = Result { try OfficialImport.assemble(try tinySources()) }

/// ref-tiny's bundle with a small stand-in body (40 vertices), so tests that encode it many times stay fast.
let smallWriter: Result<BundleWriter, any Error> = Result {
    var w = try tinyWriter.get()
    let v = 40
    func floats(_ shape: [Int]) -> NumericArray {
        let n = shape.reduce(1, *)
        return NumericArray(shape: shape, dtype: .float32, values: .float((0..<n).map { Float($0 % 7) * 0.01 }))
    }
    try w.add("renderer.smpl_model.v_template", floats([v, 3]))
    try w.add("renderer.smpl_model.shapedirs", floats([v, 3, 10]))
    try w.add("renderer.smpl_model.posedirs", floats([207, 3 * v]))
    try w.add("renderer.smpl_model.J_regressor", floats([24, v]))
    try w.add("renderer.smpl_model.lbs_weights", floats([v, 24]))
    try w.add("renderer.smpl_model.faces_tensor", NumericArray(shape: [2, 3], dtype: .int64, values: .integer([0, 1, 2, 2, 3, 39])))
    try w.add("body.knn_index", NumericArray(shape: [3], dtype: .int64, values: .integer([1, 5, 39])))
    return w
}

/// Expects `body` to throw an error whose description contains `text`.
func expectError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("no error thrown (expected one containing \"\(text)\")", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)".contains(text), "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct BundleTests {
    @Test func expectedTensorsMatchTheReferenceStateDict() throws {
        for configuration in ["ref-tiny", "ref-steep"] {
            let (config, _) = try OfficialImport.parseConfig(try Data(contentsOf: URL(fileURLWithPath: try Reference.path("\(configuration)/config.json"))), path: "config.json")
            let file = try SafetensorsFile(path: try Reference.path("\(configuration)/generator.safetensors"))
            let expected = config.generatorTensors()
            #expect(Set(expected.map(\.name)) == Set(file.names))
            for e in expected {
                let stored: [Int] = file.info(e.name)?.shape ?? []
                let storedText = "[" + stored.map(String.init).joined(separator: ",") + "]"
                #expect(e.shapeText == storedText, "\(e.name)")
            }
        }
        // The official configuration: SPEC.md section 3.2's parameter total (without the smoother alias).
        let official = GeneratorConfiguration.sshq512.generatorTensors().filter { !$0.name.hasPrefix("renderer.") }
        let total = official.reduce(0) { $0 + $1.shape.reduce(1) { p, d in if case let .exactly(n) = d { return p * n }; return p } }
        let specTotal = 5_570_696  // 592,892 + 1,357,056 + 33,665 + 34,951 + 150,656 + 3,166,372 + 222,144 + 2 x 6,480
        #expect(total == specTotal)
        #expect(official.first { $0.name == "sr_net.conv_first.weight" }?.shapeText == "[64,36,3,3]")
    }

    @Test func roundTripPreservesEveryTensorAndTheMetadata() throws {
        let writer = try tinyWriter.get()
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = folder.file("tiny.portrait")
        let stored = try writer.write(to: path)
        let bundle = try PortraitBundle(path: path)
        #expect(bundle.metadata == stored)
        #expect(stored.format == "portrait-bundle/1")
        #expect(bundle.unknownTensors.isEmpty)
        #expect(Set(bundle.file.names) == Set(writer.names))
        for name in writer.names { #expect(try bundle.array(name) == writer.array(name), "\(name)") }
        try bundle.verify()
        // The pieces land where DESIGN.md section 3 puts them.
        #expect(try bundle.array("renderer.smpl_model.posedirs").shape == [207, 20670])
        #expect(try bundle.array("truncation.avg_frequencies").shape == [1, 288])
        #expect(try bundle.array("truncation.avg_style").shape == [1, 24])
        #expect(try bundle.array("body.knn_index").dtype == .int64)
        #expect(bundle.metadata.samplers == .init())
        #expect(bundle.metadata.generator.lrImageSize == 16 && bundle.metadata.generator.srNetKwargs.nb == 2)
        #expect(bundle.metadata.provenance.files.map(\.name) == ["generator.pt", "config.json", "SMPL_NEUTRAL.pkl.gz",
                                                                  "valid_smpl_knn_index.npy", "avg_frequencies.npy",
                                                                  "avg_phase_shifts.npy", "sr_avg_w.npy", "sr_avg_style.npy"])
        // The generator tensors equal the reference safetensors.
        let reference = try SafetensorsFile(path: try Reference.path("ref-tiny/generator.safetensors"))
        for name in reference.names { #expect(try bundle.array(name) == reference.array(name), "\(name)") }
        #expect(bundle.parameterCount == reference.tensors.filter { !$0.name.hasPrefix("renderer.") }.reduce(0) { $0 + $1.count })
        // The metadata JSON keeps nulls for numbered expressions and absent corpus/training.
        let json = try #require(bundle.file.metadata["portrait"])
        #expect(json.contains("\"expression_names\":null") && json.contains("\"corpus\":null"))
    }

    @Test func validationNamesTheFirstProblem() throws {
        let good = try smallWriter.get()
        func open(_ writer: BundleWriter) throws { _ = try PortraitBundle(data: try writer.encoded().data, path: "m.portrait") }

        var w = good
        try w.add("sr_net.conv_first.weight", NumericArray(shape: [8, 8, 3, 2], dtype: .float32, values: .float([Float](repeating: 0, count: 384))))
        expectError("m.portrait: tensor 'sr_net.conv_first.weight': [8,8,3,2], expected [8,8,3,3]") { try open(w) }

        w = good
        w.remove("radiance_net.output_sigma.3.weight")
        expectError("tensor 'radiance_net.output_sigma.3.weight' is missing") { try open(w) }

        w = good
        try w.add("renderer.smpl_model.parents", NumericArray(shape: [24], dtype: .int64, values: .integer([-1] + (0..<23).map { Int64($0) + ($0 == 5 ? 10 : 0) })))
        expectError("parents[6] = 15") { try open(w) }

        w = good
        try w.add("body.knn_index", NumericArray(shape: [2], dtype: .int64, values: .integer([0, 40])))
        expectError("tensor 'body.knn_index': element 1 = 40, expected 0..<40") { try open(w) }

        w = good
        try w.add("renderer.smpl_model.posedirs", NumericArray(shape: [207, 3], dtype: .float32, values: .float([Float](repeating: 0, count: 621))))
        expectError("tensor 'renderer.smpl_model.posedirs': [207,3], expected [207,120]") { try open(w) }

        w = good
        try w.add("body.knn_index", NumericArray(shape: [2], dtype: .int32, values: .integer([0, 1])))
        expectError("tensor 'body.knn_index': dtype I32, expected I64") { try open(w) }

        w = good
        try w.add("samplers.expression", NumericArray(shape: [3, 64], dtype: .float32, values: .float([Float](repeating: 0, count: 192))))
        expectError("tensor 'samplers.expression': [3,64], but metadata samplers.expression = 0") { try open(w) }
        w.metadata.samplers.expression = 4
        expectError("tensor 'samplers.expression': [3,64], expected [4,64]") { try open(w) }
        w.metadata.samplers.expression = 3
        try open(w)

        w = good
        w.metadata.samplers.idShape = 5
        expectError("tensor 'samplers.id_shape' is missing (metadata samplers.id_shape = 5)") { try open(w) }

        w = good
        w.metadata.generator.srNetKwargs.upChannels = [8]
        expectError("hr_img_size / lr_img_size") { try open(w) }

        w = good
        try w.add("extra.thing", NumericArray(shape: [1], dtype: .float32, values: .float([1])))
        let unknown = try PortraitBundle(data: try w.encoded().data).unknownTensors
        #expect(unknown == ["extra.thing"])

        // F16 storage is accepted and widened.
        w = good
        try w.add("sample_net.output_layer.bias", try #require(good.array("sample_net.output_layer.bias")), as: .float16)
        try open(w)

        // Metadata: missing, unparsable, another major version.
        var plain = SafetensorsWriter()
        try plain.add("x", NumericArray(shape: [1], dtype: .float32, values: .float([1])))
        expectError("no 'portrait' metadata") { _ = try PortraitBundle(data: try plain.encoded(), path: "m.portrait") }
        plain.metadata = ["portrait": "{\"format\": \"portrait-bundle/2\"}"]
        expectError("bundle format 'portrait-bundle/2'") { _ = try PortraitBundle(data: try plain.encoded()) }
        plain.metadata = ["portrait": "{\"format\": \"portrait-bundle/1\"}"]
        expectError("missing field 'generator'") { _ = try PortraitBundle(data: try plain.encoded()) }
        plain.metadata = ["portrait": "{\"format\": \"portrait-bundle/1\", \"generator\": {\"hidden_dim\": \"x\"}}"]
        expectError("field 'generator.hidden_dim' has the wrong type") { _ = try PortraitBundle(data: try plain.encoded()) }
        plain.metadata = ["portrait": "{nope"]
        expectError("metadata: not valid JSON") { _ = try PortraitBundle(data: try plain.encoded()) }
    }

    @Test func verifyChecksHashAndFiniteness() throws {
        var w = try smallWriter.get()
        let (data, _) = try w.encoded()
        var tampered = data
        tampered[tampered.count - 1] ^= 0x01
        expectError("provenance.data_sha256") { try PortraitBundle(data: tampered).verify() }
        try w.add("truncation.avg_w", NumericArray(shape: [1, 256], dtype: .float32, values: .float([Float](repeating: 0, count: 255) + [.nan])))
        expectError("tensor 'truncation.avg_w': element 255 is nan") { try PortraitBundle(data: try w.encoded().data).verify() }
    }

    @Test func writerLeavesNothingBehindOnFailure() throws {
        var w = try smallWriter.get()
        w.remove("body.knn_index")
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        expectError("tensor 'body.knn_index' is missing") { try w.write(to: folder.file("bad.portrait")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func metadataDefaultsAndUnknownKeys() throws {
        let text = #"{"format": "portrait-bundle/1", "generator": {"hidden_dim": 32}, "future_key": {"a": 1}, "controls": {"default_psi": 0.5}}"#
        let m = try BundleMetadata.decode(text)
        #expect(m.generator.hiddenDim == 32 && m.generator.featureDim == 32)
        #expect(m.controls.defaultPsi == 0.5 && m.controls.expressionRange == [-3, 3] && m.controls.expressionNames == nil)
        #expect(m.rendering == BundleMetadata.Rendering())
        #expect(m.samplers == .init() && m.truncation == .init())
        // Doubles survive a write/read exactly.
        var n = m
        n.rendering.portrait.originOffset = [0, -0.018307705578718726, -0.09590692521323398]
        n.provenance.training = .init(stages: ["warm-start"], steps: 10, cpuHours: 0.1 + 0.2)
        #expect(try BundleMetadata.decode(try n.jsonText()) == n)
    }
}
