import Foundation

/// The built-in model shipped with the program (`Resources/studio.portrait`, made by `portrait
/// make-builtin`): the studio configuration on the built-in body, with seeded initial weights — untrained
/// until a trained model replaces it (its metadata says `builtin-untrained`).
public enum BuiltinModel {
    /// The reserved MODEL name.
    public static let name = "builtin"
    /// The reserved MODEL name of the parametric renderer (`SyntheticPortraitModel`, module Synth).
    public static let syntheticName = "synthetic"
    /// The resource's file name.
    public static let resourceName = "studio.portrait"
    /// `provenance.source` of the shipped bundle while it is untrained.
    public static let untrainedSource = "builtin-untrained"

    /// The path of the shipped bundle, or nil when the resource is missing from the installation.
    public static var resourcePath: String? {
        Bundle.module.path(forResource: "studio", ofType: "portrait")
    }

    /// Whether a bundle whose `provenance.source` is `source` is a trained model (anything but
    /// `builtin-untrained`): with no MODEL argument, `builtin` is used when it is trained, else `synthetic`.
    public static func isTrained(source: String) -> Bool { source != untrainedSource }
}
