/// How one synthetic person looks, beyond the generator's codes: skin, hair and clothing.
/// Colours are RGB in [0, 1] as written to the image.
public struct Appearance: Sendable, Equatable {
    public enum HairStyle: String, Sendable, CaseIterable {
        /// Close-cropped, above the hairline and around the back of the head.
        case short
        /// Chin length, covering the sides and the back of the head and the nape.
        case bob
        /// Past the shoulders: the back of the neck, the upper back and strands resting on the shoulders.
        case long
        /// Short, with a bun at the back of the head.
        case tied
    }

    public enum Neckline: String, Sendable, CaseIterable { case crew, vee, scoop }

    public var skinName: String
    public var skin: SIMD3<Float>
    public var hairStyle: HairStyle
    public var hairName: String
    public var hair: SIMD3<Float>
    public var neckline: Neckline
    public var clothing: SIMD3<Float>

    /// Skin tones from light to deep (roughly the Fitzpatrick range).
    public static let skinTones: [(String, SIMD3<Float>)] = [
        ("porcelain", SIMD3(0.96, 0.80, 0.70)), ("light", SIMD3(0.92, 0.74, 0.62)), ("fair", SIMD3(0.87, 0.67, 0.54)),
        ("medium", SIMD3(0.78, 0.57, 0.43)), ("olive", SIMD3(0.70, 0.52, 0.36)), ("tan", SIMD3(0.60, 0.42, 0.29)),
        ("brown", SIMD3(0.46, 0.31, 0.21)), ("deep", SIMD3(0.33, 0.21, 0.14)),
    ]

    public static let hairColours: [(String, SIMD3<Float>)] = [
        ("black", SIMD3(0.06, 0.05, 0.05)), ("dark_brown", SIMD3(0.18, 0.11, 0.07)), ("brown", SIMD3(0.33, 0.21, 0.12)),
        ("auburn", SIMD3(0.45, 0.18, 0.09)), ("blonde", SIMD3(0.78, 0.64, 0.40)), ("grey", SIMD3(0.62, 0.61, 0.60)),
    ]

    /// Draws an appearance: tones and colours uniformly, each colour jittered a little, clothing of any hue.
    public static func sample(_ random: inout LabelRandom) -> Appearance {
        func jitter(_ c: SIMD3<Float>, _ amount: Double) -> SIMD3<Float> {
            let f = Float(1 + random.uniform(-amount...amount))
            return clamped(c * f)
        }
        let (skinName, skin) = skinTones[random.below(skinTones.count)]
        let style = HairStyle.allCases[random.below(HairStyle.allCases.count)]
        let (hairName, hair) = hairColours[random.below(hairColours.count)]
        let neckline = Neckline.allCases[random.below(Neckline.allCases.count)]
        let clothing = hsv(hue: random.uniform(0...1), saturation: random.uniform(0.15...0.8), value: random.uniform(0.2...0.9))
        return Appearance(skinName: skinName, skin: jitter(skin, 0.04), hairStyle: style, hairName: hairName,
                          hair: jitter(hair, 0.08), neckline: neckline, clothing: clothing)
    }

    /// The names written to the labels.
    public var names: [String: String] {
        ["skin": skinName, "hair_style": hairStyle.rawValue, "hair_colour": hairName, "neckline": neckline.rawValue,
         "clothing": Self.hex(clothing)]
    }

    /// `#rrggbb` of a colour.
    static func hex(_ c: SIMD3<Float>) -> String {
        let hex = (0..<3).map { k -> String in
            let v = Int((min(max(c[k], 0), 1) * 255).rounded())
            return String(v, radix: 16).count == 1 ? "0" + String(v, radix: 16) : String(v, radix: 16)
        }
        return "#" + hex.joined()
    }

    static func hsv(hue: Double, saturation: Double, value: Double) -> SIMD3<Float> {
        let h = hue * 6, i = Int(h) % 6, f = h - Double(Int(h))
        let p = value * (1 - saturation), q = value * (1 - saturation * f), t = value * (1 - saturation * (1 - f))
        let rgb: (Double, Double, Double)
        switch i {
        case 0: rgb = (value, t, p)
        case 1: rgb = (q, value, p)
        case 2: rgb = (p, value, t)
        case 3: rgb = (p, q, value)
        case 4: rgb = (t, p, value)
        default: rgb = (value, p, q)
        }
        return SIMD3(Float(rgb.0), Float(rgb.1), Float(rgb.2))
    }
}

/// `x` with each component clamped to [0, 1].
func clamped(_ x: SIMD3<Float>) -> SIMD3<Float> {
    x.replacing(with: 0, where: x .< 0).replacing(with: 1, where: x .> 1)
}
