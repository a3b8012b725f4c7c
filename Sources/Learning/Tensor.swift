/// A row-major matrix of `Float` values: the only tensor shape a multilayer perceptron needs.
///
/// A batch of N samples with D features is an N×D tensor; a layer's weights are O×I.
public struct Tensor: Sendable, Equatable {
    /// Number of rows (for a batch, the number of samples).
    public private(set) var rows: Int
    /// Number of columns (for a batch, the number of features per sample).
    public private(set) var columns: Int
    /// The values, row after row: element (r, c) is at `r * columns + c`.
    public var scalars: [Float]

    /// Creates a tensor filled with one value.
    ///
    /// - Parameters:
    ///   - rows: Number of rows, at least 0.
    ///   - columns: Number of columns, at least 0.
    ///   - value: The value of every element.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Tensor shape must be non-negative")
        self.rows = rows
        self.columns = columns
        self.scalars = [Float](repeating: value, count: rows * columns)
    }

    /// Creates a tensor from row-major values.
    ///
    /// - Parameters:
    ///   - rows: Number of rows.
    ///   - columns: Number of columns.
    ///   - scalars: `rows * columns` values, row after row.
    public init(rows: Int, columns: Int, scalars: [Float]) {
        precondition(scalars.count == rows * columns, "Tensor needs \(rows * columns) values, got \(scalars.count)")
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    /// Creates a tensor from an array of equally long rows.
    public init(_ rowArrays: [[Float]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "All rows must have the same length")
        self.init(rows: rowArrays.count, columns: columns, scalars: rowArrays.flatMap { $0 })
    }

    /// The number of elements, `rows * columns`.
    public var count: Int { rows * columns }

    /// The shape as `[rows, columns]`.
    public var shape: [Int] { [rows, columns] }

    /// Element at row `row`, column `column`.
    public subscript(row: Int, column: Int) -> Float {
        get { scalars[row * columns + column] }
        set { scalars[row * columns + column] = newValue }
    }

    /// The values of one row.
    public func row(_ index: Int) -> ArraySlice<Float> {
        scalars[(index * columns)..<((index + 1) * columns)]
    }

    /// Changes the shape of a tensor without reallocating when capacity allows. Contents are
    /// unspecified afterwards: use it for output buffers that a kernel overwrites.
    public mutating func reshapeForOverwrite(rows newRows: Int, columns newColumns: Int) {
        if newRows == rows && newColumns == columns { return }
        let newCount = newRows * newColumns
        if newCount < scalars.count {
            scalars.removeLast(scalars.count - newCount)
        } else if newCount > scalars.count {
            scalars.append(contentsOf: repeatElement(0, count: newCount - scalars.count))
        }
        rows = newRows
        columns = newColumns
    }

    /// The rows at `indices`, in that order, as a new tensor.
    public func gatheringRows(_ indices: some Collection<Int>) -> Tensor {
        var result = Tensor(rows: indices.count, columns: columns)
        gatherRows(indices, into: &result)
        return result
    }

    /// Copies the rows at `indices` into `destination`, resizing it to `indices.count` rows.
    public func gatherRows(_ indices: some Collection<Int>, into destination: inout Tensor) {
        destination.reshapeForOverwrite(rows: indices.count, columns: columns)
        let columns = self.columns
        scalars.withUnsafeBufferPointer { source in
            destination.scalars.withUnsafeMutableBufferPointer { target in
                for (position, index) in indices.enumerated() {
                    let from = source.baseAddress! + index * columns
                    (target.baseAddress! + position * columns).update(from: from, count: columns)
                }
            }
        }
    }
}
