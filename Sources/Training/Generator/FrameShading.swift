/// How a differentiable frame gets its colours and alphas at the canonical intersections.
public enum FrameShading: Sendable, Equatable {
    /// Grid-sampled from the identity's LR maps (and HR maps for the HR image), exactly as inference
    /// (SPEC F11, F12). Needs `IdentityMapsRequest.lowResolution` or `.highResolution`.
    case maps
    /// RadianceNet evaluated at each ray's canonical intersections (GRAM style, SPEC §8.4 stage 1; ray
    /// direction (0, 0, −1) as for the maps); α masked by the validity. LR image only.
    case direct
}
