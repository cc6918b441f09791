/// A handle to a tensor recorded on a `Tape`: the value and (after `Tape.backward`) its gradient live in
/// the tape; the handle is only meaningful with the tape that made it.
public struct Variable: Hashable, Sendable {
    /// Position of the value on its tape (recording order).
    public let index: Int
    /// Shape of the value.
    public let shape: [Int]
    /// Identity of the tape that recorded it.
    let tape: ObjectIdentifier

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}
