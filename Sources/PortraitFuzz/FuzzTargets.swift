import Foundation
import Generator
import ModelIO
import StudioCore

/// The parsers under test. Each takes arbitrary bytes and must either throw or return a valid result;
/// anything else (a crash, a sanitizer report, a hang, a huge allocation) is a finding.
enum FuzzTargets {
    static let names = ["safetensors", "npy", "zip", "torch", "pickle", "bundle-json", "bundle", "json", "controls", "trajectory"]

    /// Runs parser `name` on `data`; returns a one-line summary of what it read (or the error).
    @discardableResult
    static func run(_ name: String, _ data: Data) -> String {
        do {
            switch name {
            case "safetensors":
                let file = try SafetensorsFile(data: data, path: "fuzz")
                var elements = 0
                for info in file.tensors { elements += try file.array(info.name).count }
                return "safetensors: \(file.tensors.count) tensors, \(elements) elements, \(file.metadata.count) metadata keys"
            case "npy":
                let array = try NPY.decode(data, path: "fuzz")
                _ = try NPY.encode(array)
                return "npy: \(array.dtype.rawValue) \(array.shape)"
            case "zip":
                let archive = try ZipArchive(data: data, path: "fuzz")
                var bytes = 0
                for entry in archive.entries { bytes += (try? archive.contents(of: entry).count) ?? 0 }
                let npz = try NPZFile(data: data, path: "fuzz")
                var arrays = 0
                for name in npz.names where (try? npz.array(name)) != nil { arrays += 1 }
                return "zip: \(archive.entries.count) entries, \(bytes) bytes, \(arrays) arrays"
            case "torch":
                let checkpoint = try TorchCheckpoint(data: data, path: "fuzz")
                var elements = 0
                for info in checkpoint.tensors { elements += try checkpoint.array(info.name).count }
                return "torch: \(checkpoint.tensors.count) tensors, \(elements) elements"
            case "pickle":
                let arrays = try PickledArrays.decode(data, path: "fuzz")
                if arrays["v_template"] != nil { _ = try? BodyModelFile(arrays: arrays, path: "fuzz") }
                return "pickle: \(arrays.count) arrays"
            case "bundle-json":
                let metadata = try BundleMetadata.decode(String(decoding: data, as: UTF8.self), path: "fuzz")
                _ = metadata.problem()
                _ = metadata.generator.expectedTensors()
                _ = try BundleMetadata.decode(try metadata.jsonText())
                return "bundle-json: \(metadata.name)"
            case "bundle":
                let bundle = try PortraitBundle(data: data, path: "fuzz")
                try? bundle.verify()
                return "bundle: \(bundle.file.tensors.count) tensors, \(bundle.unknownTensors.count) unknown"
            case "json":
                let value = try JSONValue.parse(data)
                return "json: \(value.object?.count ?? value.array?.count ?? 0) members"
            case "controls":
                // Decoding must be total, and what we write must read back as the same controls.
                let controls = try ControlsJSON.decode(data)
                let again = try ControlsJSON.decode(Data(ControlsJSON.encode(controls).utf8))
                precondition(again == controls, "controls changed in a write-then-read round trip")
                return "controls: \(controls.joints.count) joints"
            case "trajectory":
                let (trajectory, warnings) = try TrajectoryReader.parse(data, path: "fuzz", expressionLabels: ["jaw_open", "smile_left"])
                return "trajectory: \(trajectory.lines.count) lines, \(warnings.count) warnings"
            default:
                return "unknown target '\(name)' (one of \(names.joined(separator: ", ")))"
            }
        } catch {
            return "error: \(error)"
        }
    }
}
