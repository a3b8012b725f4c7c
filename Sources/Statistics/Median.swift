extension RepeatStatistics {
    /// The middle of the finite values (the mean of the two middle ones for an even count).
    ///
    /// - Parameter values: A sample; non-finite values are left out.
    /// - Returns: The median, or nil when no finite value is left.
    public static func median(_ values: [Double]) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
