/// Documented power usage effectiveness (PUE) values: facility energy ÷ IT energy.
///
/// A PUE multiplies the energy the machine used to account for cooling, power distribution
/// and lighting of the building it sits in. 1.0 means no overhead (a personal machine, the
/// CodeCarbon default); data centres report 1.1 to 1.6.
public enum PUEPreset: String, CaseIterable, Sendable, Codable {
    /// A laptop or workstation in an office or home: no facility overhead counted (CodeCarbon's default).
    case local
    /// Average data centre, Uptime Institute Global Data Center Survey 2024 (Green Algorithms v3 default).
    case averageDataCentre2024 = "datacentre"
    /// Average data centre, Uptime Institute survey 2023 (carbontracker's default).
    case averageDataCentre2023 = "datacentre-2023"
    /// Google Cloud, as published by the provider.
    case gcp
    /// Amazon Web Services, as published by the provider.
    case aws
    /// Microsoft Azure, as published by the provider.
    case azure

    /// The PUE value (dimensionless, ≥ 1).
    public var value: Double {
        switch self {
        case .local: 1.0
        case .averageDataCentre2024: 1.56
        case .averageDataCentre2023: 1.58
        case .gcp: 1.12
        case .aws: 1.2
        case .azure: 1.12
        }
    }

    /// Where the value comes from, for reports.
    public var source: String {
        switch self {
        case .local: "personal machine, no facility overhead (CodeCarbon default)"
        case .averageDataCentre2024: "average data centre, Uptime Institute 2024"
        case .averageDataCentre2023: "average data centre, Uptime Institute 2023"
        case .gcp: "Google Cloud, provider-published PUE"
        case .aws: "AWS, provider-published PUE"
        case .azure: "Azure, provider-published PUE"
        }
    }

    /// Finds a preset by its name, ignoring case ("aws", "datacentre", "local").
    ///
    /// - Parameter name: A raw value of this enum, or "google" / "data-centre" / "datacenter".
    /// - Returns: The preset, or nil when the name is not one.
    public init?(named name: String) {
        let key = name.lowercased()
        switch key {
        case "google": self = .gcp
        case "data-centre", "datacenter", "data-center": self = .averageDataCentre2024
        default:
            guard let preset = PUEPreset(rawValue: key) else { return nil }
            self = preset
        }
    }
}
