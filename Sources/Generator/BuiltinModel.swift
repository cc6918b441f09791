import Foundation

/// The built-in model shipped with the program (`Resources/studio.portrait`, made by `portrait
/// make-builtin`): the studio configuration on the built-in body, with seeded initial weights — untrained
/// until a trained model replaces it (its metadata says `builtin-untrained`).
public enum BuiltinModel {
    /// The reserved MODEL name.
    public static let name = "builtin"
    /// The resource's file name.
    public static let resourceName = "studio.portrait"

    /// The path of the shipped bundle, or nil when the resource is missing from the installation.
    public static var resourcePath: String? {
        Bundle.module.path(forResource: "studio", ofType: "portrait")
    }
}
