import Generator

/// Slider-friendly views of `Controls`: every slider reads and writes one `Double` through a key path.
extension Controls {
    /// The identity seed as a number (0 while the identity is explicit codes); setting keeps the blend.
    public var studioSeed: Double {
        get {
            if case let .seed(seed, _) = identity { return Double(seed) }
            return 0
        }
        set {
            let seed = UInt32(max(0, min(Double(UInt32.max), newValue.rounded())))
            identity = .seed(seed, blend: studioBlend)
        }
    }

    /// The blend towards the next seed in [0, 1) (0 while the identity is explicit codes).
    public var studioBlend: Double {
        get {
            if case let .seed(_, blend) = identity { return blend }
            return 0
        }
        set {
            let seed: UInt32
            if case let .seed(s, _) = identity { seed = s } else { seed = 0 }
            identity = .seed(seed, blend: newValue)
        }
    }

    /// Truncation ψ (0 when unset; the studio always sets it).
    public var studioPsi: Double {
        get { psi ?? 0 }
        set { psi = newValue }
    }

    /// The expression as positional values (named values are not used by the studio).
    public var studioExpression: [Double] {
        get {
            if case let .values(v) = expression { return v }
            return []
        }
        set { expression = .values(newValue) }
    }

    /// The camera choice as an index into `Controls.View.allCases`.
    public var studioViewIndex: Double {
        get { Double(View.allCases.firstIndex(of: view) ?? 0) }
        set {
            let i = max(0, min(View.allCases.count - 1, Int(newValue.rounded())))
            view = View.allCases[i]
        }
    }

    /// The show choice as an index into `Controls.Show.allCases`.
    public var studioShowIndex: Double {
        get { Double(Show.allCases.firstIndex(of: show) ?? 0) }
        set {
            let i = max(0, min(Show.allCases.count - 1, Int(newValue.rounded())))
            show = Show.allCases[i]
        }
    }
}
