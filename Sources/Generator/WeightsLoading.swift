import ModelIO
import Numerics

extension Weights {
    /// Every floating-point tensor of a safetensors file (F16/BF16/F64 converted to Float32) under its
    /// own key; integer tensors (SMPL `parents`, `faces_tensor`, KNN indices) are left out.
    public init(safetensors file: SafetensorsFile) throws {
        var tensors: [String: Tensor] = [:]
        for info in file.tensors where info.dtype.isFloatingPoint {
            tensors[info.name] = try file.tensor(info.name)
        }
        self.init(tensors: tensors, source: file.path)
    }

    /// The floating-point tensors of the safetensors file at `path`.
    public init(safetensorsPath path: String) throws {
        try self.init(safetensors: SafetensorsFile(path: path))
    }
}

extension Weights {
    /// Writes every tensor as Float32 to a safetensors file at `path` (atomically: a temporary file,
    /// then a rename).
    public func writeSafetensors(to path: String, metadata: [String: String] = [:]) throws {
        var writer = SafetensorsWriter(metadata: metadata)
        for name in names {
            guard let tensor = tensors[name] else { continue }
            try writer.add(name, tensor)
        }
        try writer.write(to: path)
    }
}
