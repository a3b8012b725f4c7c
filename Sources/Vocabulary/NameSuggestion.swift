/// Finds the known name a user most likely meant, for "did you mean …?" hints.
public enum NameSuggestion {
    /// The candidate closest to `name` by case-insensitive edit distance, when it is within a
    /// third of the name's length (at least 1, at most 3 edits); `nil` otherwise.
    ///
    /// - Parameters:
    ///   - name: What the user typed.
    ///   - candidates: The known names.
    /// - Returns: The closest candidate, or nil when none is close.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let target = name.lowercased()
        guard !target.isEmpty, target.count <= 64 else { return nil }
        let allowed = min(3, max(1, target.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let letters = candidate.lowercased()
            guard letters.count <= 64, abs(letters.count - target.count) <= allowed else { continue }
            let distance = editDistance(target, letters)
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Levenshtein distance between two strings by Unicode scalars: insertions, deletions and
    /// substitutions each cost 1. Inputs are short names, so the O(n·m) table is fine.
    public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
