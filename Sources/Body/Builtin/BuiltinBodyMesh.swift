import Foundation

/// The triangulated surfaces of the built-in body before rigging: the trunk (torso, neck and head, one
/// closed surface tessellated in horizontal rings around `BuiltinBodyShape.axisZ`, in the mean pose) and the
/// two upper arms (closed round-cone capsules in the rest T-pose, from the shoulder joint to the elbow).
struct BuiltinBodyMesh: Sendable {
    /// Which surface a vertex belongs to.
    enum Part: Int, Sendable { case trunk, leftArm, rightArm }

    /// Vertex positions, metres: trunk vertices in the mean pose, arm vertices in the rest pose.
    var positions: [SIMD3<Double>] = []
    var parts: [Part] = []
    /// Triangles, counter-clockwise seen from outside.
    var triangles: [SIMD3<Int32>] = []

    /// Points around each trunk ring.
    static let ringPoints = 60
    /// Points around each arm ring.
    static let armRingPoints = 20

    /// Builds the trunk and both arms.
    static func build(leftShoulder: SIMD3<Double>, leftElbow: SIMD3<Double>) -> BuiltinBodyMesh {
        var mesh = BuiltinBodyMesh()
        mesh.addTrunk()
        mesh.addArm(from: leftShoulder, to: leftElbow, part: .leftArm, mirror: false)
        mesh.addArm(from: leftShoulder, to: leftElbow, part: .rightArm, mirror: true)
        return mesh
    }

    /// The outermost crossing of the trunk surface along the horizontal ray from `(0, y, axisZ(y))` towards
    /// angle `theta` (0 = +z, π/2 = +x): searched inwards from 0.32 m in 3 mm steps, then bisected.
    static func trunkRadius(y: Double, theta: Double) -> Double {
        let centre = SIMD3<Double>(0, y, BuiltinBodyShape.axisZ(y))
        let direction = SIMD3<Double>(sin(theta), 0, cos(theta))
        func inside(_ r: Double) -> Bool { BuiltinBodyShape.value(at: centre + r * direction) < 0 }
        var r = 0.32
        while r > 0, !inside(r) { r -= 0.003 }
        guard r > 0 else { return 0 }
        var lo = r, hi = r + 0.003
        for _ in 0..<30 {
            let mid = 0.5 * (lo + hi)
            if inside(mid) { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// The lowest or highest point of the trunk on its axis (bisection on `value(at:)`).
    static func trunkEnd(top: Bool) -> Double {
        func inside(_ y: Double) -> Bool { BuiltinBodyShape.value(at: SIMD3(0, y, BuiltinBodyShape.axisZ(y))) < 0 }
        var lo = 0.0, hi = top ? 0.8 : -0.8   // lo inside, hi outside
        for _ in 0..<50 {
            let mid = 0.5 * (lo + hi)
            if inside(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Ring heights between the poles: 14 mm apart on the lower torso, 9 mm at the chest, 6.5 mm on the neck
    /// and head, closer near the poles.
    static func ringHeights(bottom: Double, top: Double) -> [Double] {
        var ys = [bottom + 0.0008, bottom + 0.004, bottom + 0.009]
        var y = bottom + 0.016
        while y < top - 0.009 {
            ys.append(y)
            y += y < 0.15 ? 0.014 : (y < 0.24 ? 0.009 : 0.0065)
        }
        ys += [top - 0.005, top - 0.0022, top - 0.0006]
        return ys
    }

    mutating func addTrunk() {
        let bottom = Self.trunkEnd(top: false), top = Self.trunkEnd(top: true)
        let heights = Self.ringHeights(bottom: bottom, top: top)
        let n = Self.ringPoints
        let first = Int32(positions.count)
        positions.append(SIMD3(0, bottom, BuiltinBodyShape.axisZ(bottom)))
        for y in heights {
            let z = BuiltinBodyShape.axisZ(y)
            for j in 0..<n {
                let theta = 2 * Double.pi * Double(j) / Double(n)
                let r = Self.trunkRadius(y: y, theta: theta)
                positions.append(SIMD3(r * sin(theta), y, z + r * cos(theta)))
            }
        }
        positions.append(SIMD3(0, top, BuiltinBodyShape.axisZ(top)))
        parts += Array(repeating: .trunk, count: positions.count - Int(first))
        addRingTriangles(first: first, rings: heights.count, around: n)
    }

    /// Triangles of `rings` rings of `around` points between a bottom pole (index `first`) and a top pole
    /// (after the rings), oriented so that the enclosed volume is positive.
    mutating func addRingTriangles(first: Int32, rings: Int, around n: Int) {
        let start = triangles.count
        let bottomPole = first, topPole = first + 1 + Int32(rings * n)
        func ring(_ i: Int, _ j: Int) -> Int32 { first + 1 + Int32(i * n + (j % n)) }
        for j in 0..<n { triangles.append(SIMD3(bottomPole, ring(0, j + 1), ring(0, j))) }
        for i in 0..<(rings - 1) {
            for j in 0..<n {
                let a = ring(i, j), b = ring(i, j + 1), c = ring(i + 1, j + 1), d = ring(i + 1, j)
                triangles.append(SIMD3(a, b, c))
                triangles.append(SIMD3(a, c, d))
            }
        }
        for j in 0..<n { triangles.append(SIMD3(topPole, ring(rings - 1, j), ring(rings - 1, j + 1))) }
        // Orientation: outward normals give a positive signed volume.
        var volume = 0.0
        for t in triangles[start...] {
            let a = positions[Int(t.x)], b = positions[Int(t.y)], c = positions[Int(t.z)]
            volume += (a * SIMD3(b.y * c.z - b.z * c.y, b.z * c.x - b.x * c.z, b.x * c.y - b.y * c.x)).sum()
        }
        if volume < 0 {
            for k in start..<triangles.count { triangles[k] = SIMD3(triangles[k].x, triangles[k].z, triangles[k].y) }
        }
    }

    /// A round cone from the shoulder joint (radius 5 cm, a hemisphere centred on the joint so that rotating
    /// the arm about the joint leaves its root in place) to the elbow (radius 4 cm), mirrored in x for the
    /// right arm.
    mutating func addArm(from shoulder: SIMD3<Double>, to elbow: SIMD3<Double>, part: Part, mirror: Bool) {
        let sign = SIMD3<Double>(mirror ? -1 : 1, 1, 1)
        let a = shoulder * sign, b = elbow * sign
        let length = ((b - a) * (b - a)).sum().squareRoot()
        let u = (b - a) / length
        var v = SIMD3<Double>(0, 1, 0) - (u * SIMD3(0, 1, 0)).sum() * u
        v /= (v * v).sum().squareRoot()
        let w = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        let r0 = 0.05, r1 = 0.04
        // Profile (axial offset from `a`, ring radius): proximal cap, straight taper, distal cap.
        var profile: [(Double, Double)] = []
        for k in 1...5 {
            let angle = -Double.pi / 2 + Double(k) * Double.pi / 10
            profile.append((r0 * sin(angle), r0 * cos(angle)))
        }
        for k in 1...9 { let t = Double(k) / 10; profile.append((t * length, r0 + (r1 - r0) * t)) }
        for k in 0...4 {
            let angle = Double(k) * Double.pi / 10
            profile.append((length + r1 * sin(angle), r1 * cos(angle)))
        }
        let n = Self.armRingPoints
        let first = Int32(positions.count)
        positions.append(a - r0 * u)
        for (offset, radius) in profile {
            for j in 0..<n {
                let phi = 2 * Double.pi * Double(j) / Double(n)
                positions.append(a + offset * u + radius * (cos(phi) * v + sin(phi) * w))
            }
        }
        positions.append(b + r1 * u)
        parts += Array(repeating: part, count: positions.count - Int(first))
        addRingTriangles(first: first, rings: profile.count, around: n)
    }
}
