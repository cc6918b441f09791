import Generator

/// The five slider groups, in panel order (keys 1–5).
public enum SliderGroup: Int, CaseIterable, Sendable {
    case camera, identity, expression, headAndShoulders, view

    /// The group's heading in the panel.
    public var title: String {
        switch self {
        case .camera: return "Camera"
        case .identity: return "Identity"
        case .expression: return "Expression"
        case .headAndShoulders: return "Head & shoulders"
        case .view: return "View"
        }
    }
}

/// Identifies one slider.
public enum SliderID: Hashable, Sendable {
    case yaw, pitch, seed, blend, psi
    /// Expression preset: 0 = none, k = row k of `samplers.expression`.
    case preset
    /// Expression coefficient `index`.
    case expression(Int)
    /// Joint slot `joint` (0…5, `Controls.jointNames`), `axis` 0 = z (tilt), 1 = y (turn), 2 = x (nod).
    case joint(Int, axis: Int)
    /// Camera choice (`portrait|face`).
    case camera
    /// What is shown (`image|depth|lr`).
    case show
}

/// One row of the slider table (DESIGN.md §5): how a control is shown, stepped and stored.
public struct SliderSpec: Sendable, Equatable {
    public let id: SliderID
    /// Label in the panel (`yaw`, `jaw_open`, `neck.z`).
    public let label: String
    public let group: SliderGroup
    /// Allowed values (for `blend` the upper end is exclusive: stepping past it moves to the next seed).
    public let range: ClosedRange<Double>
    /// One step (←/→, wheel).
    public let step: Double
    /// One coarse step (PgUp/PgDn): 10 steps, 100 for the seed.
    public let coarseStep: Double
    /// Where the value lives in `Controls`; nil for the preset, which lives in the studio state.
    public let keyPath: (WritableKeyPath<Controls, Double> & Sendable)?
    /// Names of the values of a choice slider (`camera`, `show`), else nil.
    public let choices: [String]?
    /// Value of `0` (reset).
    public let defaultValue: Double
    /// Decimals shown.
    public let decimals: Int

    public init(id: SliderID, label: String, group: SliderGroup, range: ClosedRange<Double>, step: Double,
                coarseStep: Double? = nil, keyPath: (WritableKeyPath<Controls, Double> & Sendable)?,
                choices: [String]? = nil, defaultValue: Double = 0, decimals: Int = 0) {
        self.id = id; self.label = label; self.group = group; self.range = range; self.step = step
        self.coarseStep = coarseStep ?? step * 10; self.keyPath = keyPath; self.choices = choices
        self.defaultValue = defaultValue; self.decimals = decimals
    }

    public static func == (a: SliderSpec, b: SliderSpec) -> Bool {
        a.id == b.id && a.label == b.label && a.group == b.group && a.range == b.range && a.step == b.step
            && a.coarseStep == b.coarseStep && a.choices == b.choices && a.defaultValue == b.defaultValue
            && a.decimals == b.decimals
    }

    /// `value` clamped into `range`.
    public func clamped(_ value: Double) -> Double {
        min(range.upperBound, max(range.lowerBound, value))
    }

    /// `value` on the step grid: `k / (1/step)` when the step is the inverse of an integer (so 0.95 stays
    /// 0.95 rather than 19 x 0.05), else `k * step`.
    public func snapped(_ value: Double) -> Double {
        let inverse = 1 / step
        if step < 1, abs(inverse - inverse.rounded()) < 1e-9 {
            return (value * inverse.rounded()).rounded() / inverse.rounded()
        }
        return (value / step).rounded() * step
    }

    /// The value as shown in the panel (`+12`, `0.70`, `portrait`).
    public func format(_ value: Double) -> String {
        if let choices {
            let i = max(0, min(choices.count - 1, Int(value.rounded())))
            return choices[i]
        }
        switch id {
        case .yaw, .pitch, .joint:
            let v = Int(value.rounded())
            return v > 0 ? "+\(v)" : "\(v)"
        default:
            if decimals == 0 { return String(Int64(value.rounded())) }
            return fixed(value, decimals: decimals)
        }
    }
}

/// `value` with exactly `decimals` digits after the point (no locale).
func fixed(_ value: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let negative = value < 0 && scaled != 0
    let integer = Int64(scaled / scale)
    let fraction = Int64(scaled) - integer * Int64(scale)
    var digits = String(fraction)
    while digits.count < decimals { digits = "0" + digits }
    return (negative ? "-" : "") + String(integer) + (decimals > 0 ? "." + digits : "")
}

/// The slider table of DESIGN.md §5 for one model.
public enum SliderTable {
    /// Joint axis names in `[z, y, x]` order and what they do.
    public static let axisNames = ["z", "y", "x"]
    public static let axisMeanings = ["tilt", "turn", "nod"]

    /// All sliders in panel order: Camera, Identity, Expression, Head & shoulders, View.
    public static func sliders(for model: ModelInfo) -> [SliderSpec] {
        var out: [SliderSpec] = [
            SliderSpec(id: .yaw, label: "yaw", group: .camera, range: -60...60, step: 1, keyPath: \Controls.camera.yaw),
            SliderSpec(id: .pitch, label: "pitch", group: .camera, range: -30...30, step: 1, keyPath: \Controls.camera.pitch),
            SliderSpec(id: .seed, label: "seed", group: .identity, range: 0...Double(UInt32.max), step: 1, coarseStep: 100,
                       keyPath: \Controls.studioSeed),
            SliderSpec(id: .blend, label: "blend", group: .identity, range: 0...1, step: 0.05,
                       keyPath: \Controls.studioBlend, decimals: 2),
            SliderSpec(id: .psi, label: "psi", group: .identity, range: 0...1.5, step: 0.05, keyPath: \Controls.studioPsi,
                       defaultValue: model.defaultPsi, decimals: 2),
            SliderSpec(id: .preset, label: "preset", group: .expression, range: 0...Double(model.presetCount), step: 1,
                       keyPath: nil),
        ]
        let lo = model.expressionRange.lowerBound, hi = model.expressionRange.upperBound
        let expressionStep = (hi - lo) / 120
        let expressionDefault = min(hi, max(lo, 0))
        for i in 0..<model.expressionDimension {
            out.append(SliderSpec(id: .expression(i), label: model.expressionLabel(i), group: .expression,
                                  range: model.expressionRange, step: expressionStep,
                                  keyPath: \Controls.studioExpression[i], defaultValue: expressionDefault, decimals: 2))
        }
        for joint in 0..<Controls.jointNames.count {
            for axis in 0..<3 {
                out.append(SliderSpec(id: .joint(joint, axis: axis), label: "\(Controls.jointNames[joint]).\(axisNames[axis])",
                                      group: .headAndShoulders, range: -90...90, step: 1,
                                      keyPath: \Controls.joints[joint][axis]))
            }
        }
        out.append(SliderSpec(id: .camera, label: "camera", group: .view, range: 0...Double(Controls.View.allCases.count - 1),
                              step: 1, coarseStep: 1, keyPath: \Controls.studioViewIndex,
                              choices: Controls.View.allCases.map(\.rawValue)))
        out.append(SliderSpec(id: .show, label: "show", group: .view, range: 0...Double(Controls.Show.allCases.count - 1),
                              step: 1, coarseStep: 1, keyPath: \Controls.studioShowIndex,
                              choices: Controls.Show.allCases.map(\.rawValue)))
        return out
    }
}
