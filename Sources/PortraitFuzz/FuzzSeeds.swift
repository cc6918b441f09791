import Foundation
import Generator
import ModelIO

/// Seed corpora for the fuzz targets: small reference files, the test fixtures, and files written by
/// our own writers (a micro bundle, npy/npz/safetensors of every dtype).
enum FuzzSeeds {
    /// The package root (this file is `<root>/Sources/PortraitFuzz/FuzzSeeds.swift`).
    static var root: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    static var reference: String {
        ProcessInfo.processInfo.environment["PORTRAIT_REFERENCE"]
            ?? root.deletingLastPathComponent().appendingPathComponent("shared/reference").path
    }

    /// Writes `<dir>/<target>/*` for every target.
    static func write(to directory: String) throws {
        let fm = FileManager.default
        func save(_ target: String, _ name: String, _ data: Data) throws {
            let folder = (directory as NSString).appendingPathComponent(target)
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        func copy(_ target: String, _ path: String) throws {
            try save(target, (path as NSString).lastPathComponent, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let r = reference
        for f in ["ref-tiny/avg_frequencies.npy", "ref-tiny/sr_avg_style.npy", "ref-tiny/cases/neutral_frontal/knn_index.npy",
                  "ref-tiny/cases/neutral_frontal/camera_origin.npy", "ref-tiny/identities/id_a_psi0p7/msr_is_valid.npy"] {
            try copy("npy", r + "/" + f)
        }
        let samples = sampleArrays()
        for (name, array) in samples { try save("npy", "\(name).npy", try NPY.encode(array)) }
        try copy("zip", r + "/pickles/smpl_01_fit_reassign.npz")
        try save("zip", "stored.npz", try NPZFile.encode(samples))
        try save("zip", "deflated.npz", try NPZFile.encode(samples, compressed: true))
        let fixtures = root.appendingPathComponent("Tests/Fixtures").path
        for f in ["torch-views.pt", "torch-views-big.pt", "torch-forbidden-global.pt"] { try copy("torch", fixtures + "/" + f) }
        try copy("pickle", r + "/pickles/smpl_01_fit_reassign.pkl")
        try copy("pickle", fixtures + "/body-py2.pkl")
        var writer = SafetensorsWriter(metadata: ["k": "v"])
        for (name, array) in samples { try writer.add(name, array) }
        try save("safetensors", "dtypes.safetensors", try writer.encoded())
        let (bundle, metadata) = try microBundle().encoded()
        try save("safetensors", "micro.portrait", bundle)
        try save("bundle", "micro.portrait", bundle)
        try save("bundle-json", "micro.json", Data(try metadata.jsonText().utf8))
        try save("trajectory", "recorded.jsonl", Data(trajectoryDocument.utf8))
        for (index, document) in controlsDocuments().enumerated() {
            try save("controls", "controls-\(index).json", Data(document.utf8))
            try save("json", "controls-\(index).json", Data(document.utf8))
        }
    }

    /// Controls documents: the DESIGN.md example, explicit codes, named expressions, a favourite sidecar.
    static func controlsDocuments() -> [String] {
        let design = """
        {"format": "portrait-controls/1", "identity": {"seed": 42, "blend": 0.25}, "psi": 0.7,
         "expression": [0.0, 0.4, 0.0], "camera": {"yaw": 12, "pitch": -3},
         "joints": {"neck": [0, 0, 0], "head": [0, 15, -5]}, "view": "face", "show": "depth", "quality": "preview"}
        """
        let codes = #"{"format": "portrait-controls/1", "identity": {"codes": {"identity": [0.5, -1e-3], "shape": [2], "noise": [1.5e10]}}, "expression": {"jaw_open": 0.5, "smile_left": 1}}"#
        let favourite = #"{"format": "portrait-favourite/1", "controls": {"identity": {"seed": 4294967295}, "camera": {"yaw": -180, "pitch": 89}}}"#
        return [design, codes, favourite]
    }

    /// A recorded trajectory (DESIGN.md section 4): header, then lines with times and control states.
    static let trajectoryDocument = """
        {"format": "portrait-trajectory/1", "model": {"name": "studio", "data_sha256": "00"}, "started_at": "2026-11-26T01:02:03.120Z", "layout": {"expression": ["jaw_open", "smile_left"], "joints": ["neck", "left_collar", "right_collar", "head", "left_shoulder", "right_shoulder"], "euler_order": "ZYX", "angle_unit": "degree"}}
        {"t": 0.0, "controls": {"identity": {"seed": 42, "blend": 0}, "psi": 0.7, "expression": [0, 0.5], "camera": {"yaw": 0, "pitch": 0}}}
        {"t": 1.337, "controls": {"identity": {"seed": 42, "blend": 0.5}, "expression": {"jaw_open": 1}, "camera": {"yaw": 12, "pitch": -3}, "joints": {"head": [0, 15, -5]}}}

        """

    static func sampleArrays() -> [(name: String, array: NumericArray)] {
        [
            ("f32", NumericArray(shape: [2, 3], dtype: .float32, values: .float([0, -1.5, .infinity, 3e38, -0.0, 0x1p-130]))),
            ("f16", NumericArray(shape: [3], dtype: .float16, values: .float([1, -65504, 0x1p-24]))),
            ("f64", NumericArray(shape: [2, 1, 2], dtype: .float64, values: .double([1e300, -2, 0.1, .pi]))),
            ("i8", NumericArray(shape: [2], dtype: .int8, values: .integer([-128, 127]))),
            ("i64", NumericArray(shape: [2], dtype: .int64, values: .integer([Int64.min, Int64.max]))),
            ("u32", NumericArray(shape: [1], dtype: .uint32, values: .unsigned([4_294_967_295]))),
            ("bool", NumericArray(shape: [3], dtype: .bool, values: .unsigned([1, 0, 1]))),
            ("scalar", NumericArray(shape: [], dtype: .float32, values: .float([7]))),
        ]
    }

    /// The micro configuration's bundle (see Tests/ModelIOTests/MicroBundle.swift, which builds the same).
    static func microBundle() throws -> BundleWriter {
        let configuration = GeneratorConfiguration(
            hiddenDim: 1, hiddenDimSample: 1, featureDim: 1, hrImageSize: 4, lrImageSize: 2, numSamples: 1, numManifolds: 1,
            srNetKwargs: .init(wDim: 2, nf: 1, nb: 1, gc: 1, upChannels: [1], toRGBKernelSize: 1, upSampleKernelSize: 1),
            identityDim: 1, noiseDim: 1, expressionDim: 1, shapeDim: 1, mappingHiddenDim: 1, srMappingHiddenDim: 1,
            deformHiddenDim: 1, deformMappingHiddenDim: 1, frameNumSamples: 2, frameNumPoints: 2, smootherKD: 1)
        var metadata = BundleMetadata(name: "micro", generator: configuration)
        metadata.rendering.body.poseBlendShapes = false
        metadata.samplers = .init(idShape: 2, expression: 2, cameraPoseJoint: 2)
        var writer = BundleWriter(metadata: metadata)
        for e in configuration.expectedTensors(poseBlendShapes: false) where e.isRequired || ["samplers.id_shape", "samplers.expression", "samplers.camera_pose_joint"].contains(e.name) {
            let shape = e.shape.map { d -> Int in
                switch d {
                case let .exactly(n): return n
                case .vertices: return 2
                case .threeVertices: return 6
                case .faces, .knnEntries: return 1
                case .rows: return 2
                case .any: return 3
                }
            }
            switch e.name {
            case "renderer.smpl_model.parents":
                try writer.add(e.name, NumericArray(shape: shape, dtype: .int64, values: .integer((0..<24).map { Int64($0) - 1 })))
            case "body.knn_index":
                try writer.add(e.name, NumericArray(shape: shape, dtype: .int64, values: .integer([1])))
            default:
                let count = shape.reduce(1, *)
                try writer.add(e.name, NumericArray(shape: shape, dtype: .float32, values: .float((0..<count).map { Float($0 % 5) * 0.25 - 0.5 })))
            }
        }
        return writer
    }
}
