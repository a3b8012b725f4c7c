import Testing
@testable import Learning

/// Every kernel the CPU offers must agree with a straightforward triple loop.
@Suite struct MatrixMultiplyTests {
    static func reference(_ a: Tensor, _ ta: Bool, _ b: Tensor, _ tb: Bool) -> [Double] {
        let m = ta ? a.columns : a.rows, k = ta ? a.rows : a.columns, n = tb ? b.rows : b.columns
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    sum += Double(ta ? a[p, i] : a[i, p]) * Double(tb ? b[j, p] : b[p, j])
                }
                c[i * n + j] = sum
            }
        }
        return c
    }

    static func random(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator) -> Tensor {
        Tensor(rows: rows, columns: columns, scalars: (0..<(rows * columns)).map { _ in generator.nextUnitFloat() - 0.5 })
    }

    /// True when this CPU can run `kernel`; a kernel it cannot run is reported as skipped.
    static func runs(_ kernel: String) -> Bool { MatrixMultiply.availableKernels.contains(kernel) }

    @Test func portableKernelMatchesReferenceOnRandomOddShapesAndTransposes() throws {
        try Self.checkRandomOddShapesAndTransposes(kernel: "portable")
    }

    @Test(.enabled(if: runs("avx2"), "this CPU cannot run the AVX2 kernel"))
    func avx2KernelMatchesReferenceOnRandomOddShapesAndTransposes() throws {
        try Self.checkRandomOddShapesAndTransposes(kernel: "avx2")
    }

    @Test(.enabled(if: runs("avx512"), "this CPU cannot run the AVX-512 kernel"))
    func avx512KernelMatchesReferenceOnRandomOddShapesAndTransposes() throws {
        try Self.checkRandomOddShapesAndTransposes(kernel: "avx512")
    }

    static func checkRandomOddShapesAndTransposes(kernel: String) throws {
        try #require(runs(kernel), "\(kernel) is not among \(MatrixMultiply.availableKernels)")
        var generator = SeededGenerator(seed: 99)
        for trial in 0..<60 {
            let m = 1 + Int(generator.next() % 41), n = 1 + Int(generator.next() % 70), k = 1 + Int(generator.next() % 300)
            let ta = trial % 2 == 1, tb = (trial / 2) % 2 == 1
            let a = ta ? random(k, m, &generator) : random(m, k, &generator)
            let b = tb ? random(n, k, &generator) : random(k, n, &generator)
            let threads = 1 + trial % 2
            let c = try #require(MatrixMultiply.product(a, transposeA: ta, b, transposeB: tb, threads: threads, kernel: kernel))
            let expected = reference(a, ta, b, tb)
            let worst = zip(c.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
            // Float32 accumulation of k products of magnitude ≤ 0.25.
            #expect(worst < 1e-5 * Double(k), "\(kernel) \(m)x\(n)x\(k) ta=\(ta) tb=\(tb): error \(worst)")
        }
    }

    /// Thin shapes take the unpacked kernels (broadcast, dot) and the 1-wide rewrites: every
    /// N from 1 to 17, K = 1 and M = 1, all four transposes, one and two threads.
    @Test func portableKernelMatchesReferenceOnThinShapes() throws {
        try Self.checkThinShapes(kernel: "portable")
    }

    @Test(.enabled(if: runs("avx2"), "this CPU cannot run the AVX2 kernel"))
    func avx2KernelMatchesReferenceOnThinShapes() throws {
        try Self.checkThinShapes(kernel: "avx2")
    }

    @Test(.enabled(if: runs("avx512"), "this CPU cannot run the AVX-512 kernel"))
    func avx512KernelMatchesReferenceOnThinShapes() throws {
        try Self.checkThinShapes(kernel: "avx512")
    }

    static func checkThinShapes(kernel: String) throws {
        try #require(runs(kernel), "\(kernel) is not among \(MatrixMultiply.availableKernels)")
        var generator = SeededGenerator(seed: 17)
        var shapes: [(m: Int, n: Int, k: Int)] = (1...17).map { n in (1 + Int(generator.next() % 37), n, 1 + Int(generator.next() % 90)) }
        shapes += [
            (33, 70, 1), (1, 70, 33), (1, 1, 1), (1, 19, 1), (45, 1, 1), (1, 1, 77), (1000, 1, 32), (32, 1000, 1), (1, 1000, 32),
            (20, 300, 16), (17, 9, 300),
        ]
        for (index, shape) in shapes.enumerated() {
            for transposes in 0..<4 {
                let ta = transposes & 1 == 1, tb = transposes & 2 == 2
                let (m, n, k) = shape
                let a = ta ? random(k, m, &generator) : random(m, k, &generator)
                let b = tb ? random(n, k, &generator) : random(k, n, &generator)
                let c = try #require(MatrixMultiply.product(a, transposeA: ta, b, transposeB: tb, threads: 1 + index % 2, kernel: kernel))
                let expected = reference(a, ta, b, tb)
                let worst = zip(c.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(c.count == m * n)
                #expect(worst < 1e-5 * Double(k) + 1e-7, "\(kernel) \(m)x\(n)x\(k) ta=\(ta) tb=\(tb): error \(worst)")
            }
        }
    }

    @Test func largeShapeSplitAcrossThreadsGivesIdenticalBits() throws {
        var generator = SeededGenerator(seed: 5)
        let a = Self.random(130, 300, &generator), b = Self.random(300, 200, &generator)
        let one = try #require(MatrixMultiply.product(a, b, threads: 1))
        let two = try #require(MatrixMultiply.product(a, b, threads: 2))
        #expect(one.scalars == two.scalars)
    }

    @Test func automaticKernelIsTheBestTheCPUCanRun() {
        #expect(MatrixMultiply.kernelName == MatrixMultiply.availableKernels.last)
        #expect(MatrixMultiply.availableKernels.first == "portable")
    }

    @Test func unknownKernelNameIsRefused() {
        #expect(MatrixMultiply.product(Tensor(rows: 1, columns: 1), Tensor(rows: 1, columns: 1), kernel: "avx9000") == nil)
    }
}
