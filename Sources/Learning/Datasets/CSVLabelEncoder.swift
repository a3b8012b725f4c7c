/// Turns a CSV label column into regression targets or class indices.
///
/// Classes are numbered in sorted order: numerically when every label is a number (so `10`
/// comes after `9`, and `1` and `1.0` are one class), otherwise by their text.
enum CSVLabelEncoder {
    /// With `TaskHint.automatic`, integer labels with at most this many distinct values are
    /// taken as classes (as scikit-learn's `type_of_target` takes integer labels as classes;
    /// the limit keeps integer-valued quantities such as prices regression).
    static let automaticClassLimit = 20

    /// Encoded labels: one target per sample and, for classification, the class names.
    struct Encoded {
        var task: TaskKind
        var targets: [Float]
        var classNames: [String]
    }

    /// A label the encoder could not read, with the index of its row among the data rows.
    struct BadLabel: Error {
        var rowIndex: Int
        var problem: String
    }

    /// Encodes `labels` for `hint`.
    ///
    /// - Throws: `BadLabel` when regression is asked for and a label is not a finite number.
    static func encode(_ labels: [String], hint: TaskHint) throws(BadLabel) -> Encoded {
        let numbers = labels.map { CSVNumber.parse($0) }
        let allNumeric = numbers.allSatisfy { if case .number = $0 { true } else { false } }
        let isClassification: Bool
        switch hint {
        case .regression: isClassification = false
        case .classification: isClassification = true
        case .automatic:
            if !allNumeric {
                isClassification = true
            } else {
                let values = numbers.compactMap(\.value)
                let integral = values.allSatisfy { $0 == $0.rounded() }
                isClassification = integral && Set(values).count <= automaticClassLimit
            }
        }

        if !isClassification {
            var targets: [Float] = []
            targets.reserveCapacity(labels.count)
            for (row, number) in numbers.enumerated() {
                switch number {
                case .number(_, let float): targets.append(float)
                case .notFinite, .outOfRange, .notANumber:
                    throw BadLabel(
                        rowIndex: row,
                        problem: number.problem(cell: labels[row]) + "; load the file as classification to treat labels as class names")
                }
            }
            return Encoded(task: .regression, targets: targets, classNames: [])
        }

        if allNumeric {
            let values = numbers.compactMap(\.value)
            var firstSpelling: [Double: String] = [:]
            for (value, label) in zip(values, labels) where firstSpelling[value] == nil {
                firstSpelling[value] = label
            }
            let sorted = firstSpelling.keys.sorted()
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
            return Encoded(
                task: .classification(classCount: sorted.count),
                targets: values.map { Float(index[$0] ?? 0) },
                classNames: sorted.map { firstSpelling[$0] ?? "" })
        }
        let sorted = Set(labels).sorted()
        let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
        return Encoded(
            task: .classification(classCount: sorted.count),
            targets: labels.map { Float(index[$0] ?? 0) },
            classNames: sorted)
    }
}
