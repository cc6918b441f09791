import Foundation
import ModelIO
import Testing

/// The acceptance path of the held-back cases (ISSUE-NOTES.md): `portrait import` of a reference
/// configuration, then `portrait render --controls c.json -o hr.png --lr lr.png` with explicit codes,
/// compared with the reference's 8-bit images: PSNR >= 40 dB and >= 99 % of pixels within 2/255.
@Suite(.serialized) struct ReferenceCasesCLITests {
    struct ImageAgreement: CustomStringConvertible {
        let psnr: Double
        let within: Double
        var description: String { String(format: "PSNR %.2f dB, %.3f %% of pixels within 2/255", psnr, within * 100) }
    }

    static func agreement(_ a: RGBImage, _ b: RGBImage) -> ImageAgreement? {
        guard a.width == b.width, a.height == b.height else { return nil }
        var squared = 0.0, close = 0
        for p in 0..<(a.width * a.height) {
            var worst = 0
            for c in 0..<3 {
                let d = Int(a.pixels[3 * p + c]) - Int(b.pixels[3 * p + c])
                squared += Double(d * d)
                worst = max(worst, abs(d))
            }
            if worst <= 2 { close += 1 }
        }
        let mse = squared / Double(a.pixels.count)
        let psnr = mse == 0 ? Double.infinity : 10 * log10(255 * 255 / mse)
        return ImageAgreement(psnr: psnr, within: Double(close) / Double(a.width * a.height))
    }

    /// The case's inputs as a controls document: explicit codes, camera in degrees relative to frontal,
    /// joints in degrees.
    static func controlsDocument(_ inputs: [String: Any]) throws -> String {
        func numbers(_ key: String) throws -> [Double] {
            guard let v = inputs[key] as? [Double] else { throw CocoaError(.fileReadCorruptFile) }
            return v
        }
        guard let psi = inputs["psi"] as? Double, let pitch = inputs["camera_pitch"] as? Double,
              let yaw = inputs["camera_yaw"] as? Double, let joints = inputs["joint_eulers"] as? [[Double]] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let degrees = 180 / Double.pi
        let names = ["neck", "left_collar", "right_collar", "head", "left_shoulder", "right_shoulder"]
        let jointObject = Dictionary(uniqueKeysWithValues: zip(names, joints.map { $0.map { $0 * degrees } }))
        let document: [String: Any] = [
            "format": "portrait-controls/1",
            "identity": ["codes": ["identity": try numbers("z_id"), "shape": try numbers("z_shape"), "noise": try numbers("z_noise")]],
            "psi": psi, "expression": try numbers("z_exp"),
            "camera": ["yaw": (yaw - Double.pi / 2) * degrees, "pitch": (pitch - Double.pi / 2) * degrees],
            "joints": jointObject,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
    }

    @Test(arguments: ["ref-tiny", "ref-steep"])
    func importThenRenderEveryCase(_ name: String) throws {
        let reference = CLIRunner.reference
        let config = reference + "/" + name
        #expect(FileManager.default.fileExists(atPath: config + "/generator.pt"), "reference not found at \(config)")
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = work + "/m.portrait"
        let imported = try CLIRunner.run([
            "import", "--checkpoint", config + "/generator.pt", "--knn-index", config + "/valid_smpl_knn_index.npy",
            "--smpl", reference + "/ref-tiny/body/SMPL_NEUTRAL.pkl.gz", "--means", config, "-o", model,
        ])
        #expect(imported.status == 0, "import failed: \(imported.stderr)")
        let cases = try FileManager.default.contentsOfDirectory(atPath: config + "/cases").sorted()
        #expect(!cases.isEmpty)
        for caseName in cases {
            let caseDir = config + "/cases/" + caseName
            let inputs = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: caseDir + "/inputs.json")))
            let controlsPath = work + "/\(caseName).json"
            try Data(try Self.controlsDocument(inputs as? [String: Any] ?? [:]).utf8).write(to: URL(fileURLWithPath: controlsPath))
            let hr = work + "/\(caseName)-hr.png", lr = work + "/\(caseName)-lr.png"
            let rendered = try CLIRunner.run(["render", model, "--controls", controlsPath, "-o", hr, "--lr", lr])
            #expect(rendered.status == 0, "render \(caseName) failed: \(rendered.stderr)")
            for (ours, theirs, label) in [(hr, caseDir + "/image_hr.png", "HR"), (lr, caseDir + "/image_lr.png", "LR")] {
                let agreement = try Self.agreement(PNGCodec.read(path: ours), PNGCodec.read(path: theirs))
                print("cli \(name)/\(caseName) \(label): \(agreement.map(\.description) ?? "size mismatch")")
                #expect((agreement?.psnr ?? 0) >= 40 && (agreement?.within ?? 0) >= 0.99, "\(name)/\(caseName) \(label)")
            }
        }
    }
}
