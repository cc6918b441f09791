/// A run of text drawn in one theme style.
public struct StyledSpan: Hashable, Sendable {
    public var text: String
    public var style: ThemeKey
    public init(_ text: String, _ style: ThemeKey) { self.text = text; self.style = style }
}

/// One screen line as styled runs; every character is one cell wide.
public struct StyledLine: Hashable, Sendable {
    public var spans: [StyledSpan]
    public init(_ spans: [StyledSpan] = []) { self.spans = spans }

    /// The plain text.
    public var text: String { spans.map(\.text).joined() }
    /// Width in cells.
    public var width: Int { spans.reduce(0) { $0 + $1.text.count } }

    mutating func append(_ text: String, _ style: ThemeKey) {
        guard !text.isEmpty else { return }
        if let last = spans.last, last.style == style {
            spans[spans.count - 1].text += text
        } else {
            spans.append(StyledSpan(text, style))
        }
    }

    /// Cut or padded (with `fill` style spaces) to exactly `width` cells.
    func fitted(to width: Int, fill: ThemeKey) -> StyledLine {
        var out = StyledLine()
        var remaining = width
        for span in spans where remaining > 0 {
            let piece = String(span.text.prefix(remaining))
            out.append(piece, span.style)
            remaining -= piece.count
        }
        if remaining > 0 { out.append(String(repeating: " ", count: remaining), fill) }
        return out
    }

    /// A snapshot form: the text, then each span's style as `[start,length] style` (for golden files).
    public var annotated: String {
        var offset = 0
        var parts: [String] = []
        for span in spans {
            parts.append("\(offset)+\(span.text.count):\(span.style.rawValue)")
            offset += span.text.count
        }
        return parts.joined(separator: " ")
    }
}

/// `text` cut to `width` characters, padded with spaces on the right (or left when `right`).
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    guard width > 0 else { return "" }
    let cut = String(text.prefix(width))
    let fill = String(repeating: " ", count: width - cut.count)
    return right ? fill + cut : cut + fill
}
