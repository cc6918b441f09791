import Foundation
import Numerics
import Testing
@testable import ModelIO

/// An official-release-shaped folder around the micro configuration: `ckpts/micro.pt` with body buffers,
/// `smpl_models/valid_smpl_knn_index.npy`, `sampler_npy/` (two of the five files), a means folder and a
/// bare-kwargs config file.
func makeMicroRelease(in folder: ScratchFolder, samplers: Bool = true) throws -> (release: String, means: String, config: String) {
    let writer = try microBundleWriter()
    let fm = FileManager.default
    let release = folder.file("release")
    for sub in ["ckpts", "smpl_models", "sampler_npy", "means"] {
        try fm.createDirectory(atPath: release + "/" + sub, withIntermediateDirectories: true)
    }
    var tensors: [(name: String, array: NumericArray)] = []
    for e in microConfiguration.generatorTensors() + microConfiguration.bodyTensors(poseBlendShapes: true) where e.name != "body.knn_index" {
        if let array = writer.array(e.name) { tensors.append((e.name, array)) }
    }
    tensors.append(("renderer.smpl_model.posedirs", NumericArray(shape: [207, 6], dtype: .float32, values: .float((0..<1242).map { Float($0 % 3) }))))
    tensors.append(("renderer.smpl_model.vertex_joint_selector.extra_joints_idxs", NumericArray(shape: [2], dtype: .int64, values: .integer([0, 1]))))
    try TorchWriter.encode(tensors).write(to: URL(fileURLWithPath: release + "/ckpts/micro.pt"))
    try NPY.write(NumericArray(shape: [2], dtype: .int64, values: .integer([0, 1])), to: release + "/smpl_models/valid_smpl_knn_index.npy")
    if samplers {
        try NPY.write(NumericArray(shape: [3, 2], dtype: .float64, values: .double([1, 2, 3, 4, 5, 6])), to: release + "/sampler_npy/id_shape_sampler_body.npy")
        try NPY.write(NumericArray(shape: [4, 20], dtype: .float32, values: .float([Float](repeating: 0.5, count: 80))), to: release + "/sampler_npy/camera_pose_joint_sample.npy")
    }
    let means = release + "/means"
    try NPY.write(NumericArray(shape: [9], dtype: .float32, values: .float([Float](repeating: 0.1, count: 9))), to: means + "/avg_frequencies.npy")
    try NPY.write(NumericArray(shape: [1, 9], dtype: .float32, values: .float([Float](repeating: 0.2, count: 9))), to: means + "/avg_phase_shifts.npy")
    try NPY.write(NumericArray(shape: [1], dtype: .float32, values: .float([0.3])), to: means + "/avg_w.npy")
    try NPY.write(NumericArray(shape: [3], dtype: .float32, values: .float([0.4, 0.5, 0.6])), to: means + "/avg_style.npy")
    let config = release + "/micro-kwargs.json"
    let encoder = JSONEncoder()
    try encoder.encode(microConfiguration).write(to: URL(fileURLWithPath: config))
    return (release, means, config)
}

@Suite struct ImportTests {
    @Test func releaseFolderWithBodyBuffersAndSamplers() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let (release, means, config) = try makeMicroRelease(in: folder)
        var sources = try OfficialImport.releaseFolder(release)
        #expect(sources.checkpoint.hasSuffix("ckpts/micro.pt") && sources.samplers != nil && sources.body == nil)
        sources.means = means
        sources.config = config
        let output = folder.file("micro.portrait")
        let stored = try OfficialImport.assemble(sources).write(to: output)
        let bundle = try PortraitBundle(path: output)
        #expect(bundle.metadata == stored)
        // The checkpoint's body buffers are kept (no --smpl needed), pose blend shapes included.
        #expect(bundle.metadata.rendering.body.poseBlendShapes)
        #expect(try bundle.array("renderer.smpl_model.posedirs").shape == [207, 6])
        #expect(try bundle.array("renderer.smpl_model.vertex_joint_selector.extra_joints_idxs").integers == [0, 1])
        #expect(bundle.unknownTensors.isEmpty)
        // Samplers: the two present files, float32, counted in the metadata; the others recorded absent.
        #expect(stored.samplers == .init(idShape: 3, expression: 0, cameraPoseJoint: 4))
        #expect(try bundle.array("samplers.id_shape") == NumericArray(shape: [3, 2], dtype: .float32, values: .float([1, 2, 3, 4, 5, 6])))
        #expect(!bundle.contains("samplers.expression"))
        // Means from 1-D and [1, n] files, stored [1, n]; avg_w / avg_style fallback names.
        #expect(try bundle.array("truncation.avg_frequencies").shape == [1, 9])
        #expect(try bundle.array("truncation.avg_style").floats == [0.4, 0.5, 0.6])
        #expect(stored.truncation.source == "files")
        #expect(stored.provenance.files.map(\.name) == ["micro.pt", "micro-kwargs.json", "valid_smpl_knn_index.npy",
                                                        "id_shape_sampler_body.npy", "camera_pose_joint_sample.npy",
                                                        "avg_frequencies.npy", "avg_phase_shifts.npy", "avg_w.npy", "avg_style.npy"])
        try bundle.verify()
    }

    @Test func missingPiecesAreNamed() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let (release, means, config) = try makeMicroRelease(in: folder, samplers: false)
        var sources = try OfficialImport.releaseFolder(release)
        #expect(sources.samplers != nil)
        sources.config = config
        // No means and no generator to compute them.
        expectError("no truncation means: pass --means DIR") { _ = try OfficialImport.assemble(sources) }
        // The computing hook is called when no folder is given.
        let computed = try OfficialImport.assemble(sources) { configuration, weights, sampler, samples in
            #expect(configuration == microConfiguration && weights["sr_net.conv_first.weight"] != nil && sampler == nil && samples == 10_000)
            return .init(frequencies: [Float](repeating: 0, count: 9), phaseShifts: [Float](repeating: 0, count: 9), w: [0], style: [0, 0, 0])
        }
        #expect(computed.metadata.truncation.source == "computed" && computed.metadata.samplers == .init())
        // A means file missing, with the alternatives it tried.
        sources.means = means
        try FileManager.default.removeItem(atPath: means + "/avg_w.npy")
        expectError("/means/sr_avg_w.npy: no such file (truncation mean; also tried avg_w.npy)") { _ = try OfficialImport.assemble(sources) }
        // The default configuration does not fit the micro checkpoint: the first mismatching tensor is named.
        sources.config = nil
        expectError("tensor 'radiance_net.network.0.layer.weight': [1,3], expected [256,3] by the default SSHQ512_inf configuration") {
            _ = try OfficialImport.assemble(sources)
        }
        // Incomplete folders.
        try FileManager.default.removeItem(atPath: release + "/smpl_models/valid_smpl_knn_index.npy")
        expectError("smpl_models/valid_smpl_knn_index.npy: no such file") { _ = try OfficialImport.releaseFolder(release) }
        try FileManager.default.removeItem(atPath: release + "/ckpts/micro.pt")
        expectError("ckpts: missing '*.pt checkpoint'") { _ = try OfficialImport.releaseFolder(release) }
        expectError("no such folder") { _ = try OfficialImport.releaseFolder(folder.file("nowhere")) }
    }

    @Test func checkpointWithoutBodyNeedsABodyFile() throws {
        var sources = try tinySources()
        sources.body = nil
        expectError("the checkpoint has no body model (renderer.smpl_model.*): pass --smpl FILE") { _ = try OfficialImport.assemble(sources) }
        // A 4-vertex body does not fit the reference KNN index: the writer refuses, and leaves no file.
        sources.body = fixturePath("body-py2.pkl")
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        expectError("tensor 'body.knn_index': element 4 = 4, expected 0..<4") {
            try OfficialImport.assemble(sources).write(to: folder.file("m.portrait"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func configFileForms() throws {
        let reference = try Data(contentsOf: URL(fileURLWithPath: try Reference.path("ref-steep/config.json")))
        let (configuration, rendering) = try OfficialImport.parseConfig(reference, path: "config.json")
        #expect(configuration.lrImageSize == 12 && configuration.levelsStart == 6.25 && configuration.numSamples == 128)
        #expect(rendering.portrait.originOffset == [0, -0.018307705578718726, -0.09590692521323398])
        #expect(rendering.body.faceRadius == 0.52767998683149)
        let bare = Data(#"{"hidden_dim": 32, "hidden_dim_sample": 16, "feature_dim": 4, "lr_img_size": 16, "hr_img_size": 64, "sr_net_kwargs": {"nf": 8, "nb": 2, "gc": 4, "up_channels": [8, 4]}}"#.utf8)
        #expect(try OfficialImport.parseConfig(bare, path: "k.json").0.srNetKwargs.nb == 2)
        expectError("k.json: generator kwargs: hr_img_size / lr_img_size") {
            _ = try OfficialImport.parseConfig(Data(#"{"lr_img_size": 16}"#.utf8), path: "k.json")
        }
        expectError("k.json: not a JSON object") { _ = try OfficialImport.parseConfig(Data("[1]".utf8), path: "k.json") }
    }
}
