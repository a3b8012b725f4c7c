/// A row-major Float matrix with stable, manually managed storage, used for the activations,
/// gradients and parameters of a network.
///
/// Unlike `Tensor` (a value type backed by a copy-on-write array), a `Matrix` is a reference to
/// one buffer that kernels overwrite in place, so a training loop's steady state allocates
/// nothing and never triggers an accidental copy. Capacity only grows.
package final class Matrix {
    package private(set) var pointer: UnsafeMutablePointer<Float>
    package private(set) var rows: Int
    package private(set) var columns: Int
    private var capacity: Int

    package init(rows: Int, columns: Int) {
        let count = max(rows * columns, 1)
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
        capacity = count
        self.rows = rows
        self.columns = columns
    }

    deinit {
        pointer.deallocate()
    }

    package var count: Int { rows * columns }

    package var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// Sets the shape, growing storage only when needed. Contents are unspecified afterwards.
    package func reshape(rows newRows: Int, columns newColumns: Int) {
        let needed = newRows * newColumns
        if needed > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: needed)
            pointer.initialize(repeating: 0, count: needed)
            capacity = needed
        }
        rows = newRows
        columns = newColumns
    }

    package func fill(_ value: Float) {
        pointer.update(repeating: value, count: count)
    }

    package subscript(row: Int, column: Int) -> Float {
        get { pointer[row * columns + column] }
        set { pointer[row * columns + column] = newValue }
    }

    /// Copies a tensor in, taking its shape.
    package func assign(_ tensor: Tensor) {
        reshape(rows: tensor.rows, columns: tensor.columns)
        tensor.scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: tensor.count) }
        }
    }

    /// A value copy of the current contents.
    package func tensor() -> Tensor {
        Tensor(rows: rows, columns: columns, scalars: Array(buffer))
    }
}
