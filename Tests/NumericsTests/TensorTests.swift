import Testing
@testable import Numerics

@Suite struct TensorTests {
    @Test func shapeCheckedConstruction() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.count == 6 && t.rank == 2)
        #expect(throws: NumericsError.self) { try Tensor(shape: [2, 3], scalars: [1, 2]) }
        #expect(throws: NumericsError.self) { try Tensor(shape: [-1, 3]) }
        #expect(throws: NumericsError.self) { try Tensor(shape: [Int.max, 3]) }
    }

    @Test func copyOnWriteKeepsValueSemantics() throws {
        let a = try Tensor(shape: [4], scalars: [1, 2, 3, 4])
        var b = a
        b[flat: 0] = 9
        #expect(a.scalars == [1, 2, 3, 4])
        #expect(b.scalars == [9, 2, 3, 4])
    }

    @Test func reshapeAndRowsShareStorageUntilWritten() throws {
        let a = try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let r = try a.reshaped([2, 3])
        #expect(r.storage === a.storage)
        var rows = try a.rows(1..<3)
        #expect(rows.shape == [2, 2] && rows.scalars == [3, 4, 5, 6])
        rows[flat: 0] = -1
        #expect(a.scalars == [1, 2, 3, 4, 5, 6])
        #expect(rows.scalars == [-1, 4, 5, 6])
        #expect(throws: NumericsError.self) { try a.reshaped([4, 2]) }
        #expect(throws: NumericsError.self) { try a.rows(2..<4) }
    }

    @Test func shapeMismatchMessageNamesBothShapes() throws {
        let a = try Tensor(shape: [2, 3])
        let b = try Tensor(shape: [4, 5])
        do {
            _ = try a.matmul(b)
            Issue.record("expected a shape error")
        } catch let error as NumericsError {
            #expect(error.description.contains("[2, 3]") && error.description.contains("[4, 5]"))
        }
    }
}
