/// The style names a theme assigns colours to (DESIGN.md §4 "Themes").
public enum ThemeKey: String, CaseIterable, Hashable, Sendable {
    case background, text, dim, border, title, group
    case groupActive = "group_active"
    case label
    case labelSelected = "label_selected"
    case selectionBackground = "selection_bg"
    case value, track, fill, knob
    case statusBackground = "status_bg"
    case statusText = "status_text"
    case info, warning, error, recording, playing
    case overlayBackground = "overlay_bg"
    case overlayText = "overlay_text"
    case previewBackground = "preview_bg"
}
