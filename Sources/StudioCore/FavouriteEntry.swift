import Generator

/// One favourite found on disk (a JSON sidecar that parsed, with its PNG).
public struct FavouriteEntry: Equatable, Sendable {
    /// The PNG's file name, e.g. `20261126-010203-s42.png`.
    public var name: String
    /// Full path of the PNG.
    public var imagePath: String
    /// Full path of the JSON sidecar (the commit marker).
    public var sidecarPath: String
    /// `saved_at` (ISO 8601 UTC).
    public var savedAt: String
    /// The saved controls.
    public var controls: Controls
    /// The model it was saved with.
    public var model: ModelIdentity
    public init(name: String, imagePath: String, sidecarPath: String, savedAt: String, controls: Controls,
                model: ModelIdentity) {
        self.name = name; self.imagePath = imagePath; self.sidecarPath = sidecarPath; self.savedAt = savedAt
        self.controls = controls; self.model = model
    }
}
