/// Numbers as the controls document prints them: integral values without a fraction, others shortest
/// round-trip.
enum ControlsJSONNumber {
    static func string(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
