/// Which maps `DifferentiableGenerator.identity` builds.
public enum IdentityMapsRequest: Sendable, Equatable {
    /// Only the radiance modulation (for `.direct` shading).
    case none
    /// The orthographic level field, RadianceNet at its intersections → LR features and maps.
    case lowResolution
    /// LR maps, then the SR net → HR maps.
    case highResolution
}
