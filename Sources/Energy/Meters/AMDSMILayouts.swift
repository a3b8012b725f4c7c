/// The AMD SMI library's version, as `amdsmi_get_lib_version` reports it.
///
/// `amdsmi_version_t` changed with the version scheme (ROCm/amdsmi `include/amd_smi/amdsmi.h`):
/// - up to library 24.7 (ROCm 6.3): `uint32_t year, major, minor, release; const char *build;`,
///   e.g. 24.7.1.0 (year 24, major 7);
/// - from library 25.x (ROCm 6.4, "removed year from AMD SMI library version number"):
///   `uint32_t major, minor, release; const char *build;`, e.g. 25.3.0, 26.0.0 (ROCm 7.0).
/// The first word tells them apart: a year was 23 or 24, a major from the new scheme is 25 or more.
struct AMDSMIVersion: Equatable, CustomStringConvertible {
    /// The year of the old scheme (23, 24); nil from 25 on.
    var year: UInt32?
    var major: UInt32
    var minor: UInt32
    var release: UInt32

    /// Reads the struct's first four 32-bit words (the build pointer follows them and is not read).
    ///
    /// - Returns: nil when the first word is neither a year of the old scheme nor a major of the new one.
    init?(words: [UInt32]) {
        guard words.count >= 4 else { return nil }
        switch words[0] {
        case 20...24: (year, major, minor, release) = (words[0], words[1], words[2], words[3])
        case 25...999: (year, major, minor, release) = (nil, words[0], words[1], words[2])
        default: return nil
        }
    }

    var description: String { (year.map { "\($0)." } ?? "") + "\(major).\(minor).\(release)" }
}

/// The layouts `amdsmi_power_info_t` has had (ROCm/amdsmi `include/amd_smi/amdsmi.h`; the
/// library's major version changes with every ABI break), and how to read a socket's watts from
/// each without reading past the struct of that version.
enum AMDSMIPowerInfoLayout: Equatable, CustomStringConvertible {
    /// Library 23.3 and older (ROCm 5.7: 23.2.0.1): `uint32_t average_socket_power, gfx_voltage,
    /// soc_voltage, mem_voltage, power_limit, reserved[11]`, 64 bytes.
    case averageFirst
    /// Library 23.4 (ROCm 6.0) to 24.7 (ROCm 6.3): `uint32_t current_socket_power,
    /// average_socket_power, gfx_voltage, soc_voltage, mem_voltage, power_limit, reserved[11]`, 68 bytes.
    case currentThenAverage
    /// Library 25.x (ROCm 6.4): `uint64_t socket_power` (µW, host/virtualisation only) then
    /// `uint32_t current_socket_power` (offset 8), `average_socket_power` (12), `gfx_voltage`,
    /// `soc_voltage`, `mem_voltage`, `power_limit`, `reserved[2]`, 40 bytes.
    case hostSocketPowerFirst
    /// Library 26.x and later (ROCm 7.0 onward): `uint64_t socket_power` (W on Linux bare metal),
    /// `uint32_t current_socket_power` (8), `average_socket_power` (12), `uint64_t gfx_voltage,
    /// soc_voltage, mem_voltage`, `uint32_t power_limit`, `uint64_t reserved[18]`, 192 bytes.
    case socketPowerFirst

    /// The layout of `version`'s library.
    init(version: AMDSMIVersion) {
        switch (version.year, version.major) {
        case (23?, ...3): self = .averageFirst
        case (_?, _): self = .currentThenAverage
        case (nil, ...25): self = .hostSocketPowerFirst
        case (nil, _): self = .socketPowerFirst
        }
    }

    /// `sizeof(amdsmi_power_info_t)` in this layout.
    var bytes: Int {
        switch self {
        case .averageFirst: 64
        case .currentThenAverage: 68
        case .hostSocketPowerFirst: 40
        case .socketPowerFirst: 192
        }
    }

    var description: String {
        switch self {
        case .averageFirst: "average_socket_power first, 64 bytes"
        case .currentThenAverage: "current_socket_power first, 68 bytes"
        case .hostSocketPowerFirst: "host-only socket_power first, 40 bytes"
        case .socketPowerFirst: "socket_power first, 192 bytes"
        }
    }

    /// The socket's power in watts from a struct the library wrote into `bytes`: the socket power
    /// field this layout has for Linux, else `current_socket_power`, else `average_socket_power`
    /// (boards before MI300 report only the average); nil when none reads a plausible value.
    ///
    /// Unsupported fields read 0 or UINT32_MAX (the header: "Unsupported struct members are set to
    /// UINT32_MAX"); 0xFFFF and above also marks "not supported" in AMD SMI's 16-bit metrics, and no
    /// socket draws 65 kW.
    func watts(in bytes: UnsafeRawBufferPointer) -> Double? {
        guard bytes.count >= self.bytes else { return nil }
        func word(_ offset: Int) -> UInt64 { UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        let candidates: [UInt64] =
            switch self {
            case .averageFirst: [word(0)]
            case .currentThenAverage: [word(0), word(4)]
            case .hostSocketPowerFirst: [word(8), word(12)]
            case .socketPowerFirst: [bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), word(8), word(12)]
            }
        return candidates.first { $0 > 0 && $0 < 0xFFFF }.map { Double($0) }
    }
}
