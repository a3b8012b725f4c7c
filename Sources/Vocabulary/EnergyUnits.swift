/// Unit constants, written out once.
public enum EnergyUnits {
    /// Joules in one kilowatt-hour: 1,000 W × 3,600 s.
    public static let joulesPerKilowattHour = 3_600_000.0
}
