#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few AMD SMI functions Footprint calls, resolved with dlopen/dlsym so that building and
/// running never need ROCm.
///
/// Signatures follow `include/amd_smi/amdsmi.h` of ROCm/amdsmi, unchanged from library 23.2
/// (ROCm 5.7) to 26.x (ROCm 7). `amdsmi_power_info_t` did change (64, 68, 40, then 192 bytes):
/// the library writes it into a buffer larger than any of them, and its watts are read by the
/// layout of the version `amdsmi_get_lib_version` reports (`AMDSMIPowerInfoLayout`).
final class AMDSMILibrary {
    typealias Handle = UnsafeMutableRawPointer?
    typealias InitFunction = @convention(c) (UInt64) -> Int32
    typealias ShutDownFunction = @convention(c) () -> Int32
    typealias SocketsFunction = @convention(c) (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<Handle>?) -> Int32
    typealias ProcessorsFunction = @convention(c) (Handle, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<Handle>?) -> Int32
    typealias EnergyFunction =
        @convention(c) (Handle, UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<UInt64>) -> Int32
    typealias InfoFunction = @convention(c) (Handle, UnsafeMutableRawPointer) -> Int32
    typealias StatusStringFunction = @convention(c) (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Int32
    typealias VersionFunction = @convention(c) (UnsafeMutableRawPointer) -> Int32

    static let success: Int32 = 0
    /// `AMDSMI_INIT_AMD_GPUS`: GPUs only, so a machine's CPUs (E-SMI) are never touched.
    static let initAMDGPUs: UInt64 = 1 << 1
    /// The buffer `amdsmi_get_power_info` writes into: zeroed, and larger than the struct of every
    /// version (192 bytes from library 26, ROCm 7; it was 68), so a newer library than the one
    /// this was written against cannot write past its end.
    static let powerInfoBufferBytes = 1024
    /// The buffer `amdsmi_get_lib_version` writes into (24 bytes in every version so far).
    static let versionBufferBytes = 64
    /// `sizeof(amdsmi_asic_info_t)`, rounded up generously: the library writes the whole struct
    /// (market_name[256] first), and a buffer larger than it is harmless.
    static let asicInfoBytes = 1024

    private let library: VendorLibrary
    let initialize: InitFunction
    let shutDown: ShutDownFunction
    let socketHandles: SocketsFunction
    let processorHandles: ProcessorsFunction
    /// nil where the library lacks it: the meter then samples power.
    let energyCount: EnergyFunction?
    /// nil where the library lacks it: the meter then needs the energy counter.
    private let powerInfo: InfoFunction?
    /// Whether the library has `amdsmi_get_power_info` (read only where its version is known).
    var hasPowerInfo: Bool { powerInfo != nil }
    private let asicInfo: InfoFunction?
    private let statusString: StatusStringFunction?
    /// The library's version; nil when it has no `amdsmi_get_lib_version` or its answer is not understood.
    let version: AMDSMIVersion?
    /// How `amdsmi_power_info_t` is laid out in this version; nil when the version is unknown,
    /// and then power is not read (a guess at the layout could read a voltage as watts).
    let powerLayout: AMDSMIPowerInfoLayout?

    /// Loads the library and resolves its symbols: initialisation and enumeration are
    /// required; energy, power, names and error texts are used when present.
    ///
    /// - Throws: `EnergyError.meterUnavailable` with dlerror's text when the library or a
    ///   required symbol is missing (no ROCm here: the usual case), or when it has neither the
    ///   energy counter nor the power reading.
    init(libraryName: String) throws(EnergyError) {
        let library = try VendorLibrary(name: libraryName, meter: "amdsmi", absence: "no AMD SMI from ROCm here")
        self.library = library
        let tooOld = "AMD SMI older than ROCm 6.0, or not AMD SMI"
        initialize = try library.required("amdsmi_init", as: InitFunction.self, why: tooOld)
        shutDown = try library.required("amdsmi_shut_down", as: ShutDownFunction.self, why: tooOld)
        socketHandles = try library.required("amdsmi_get_socket_handles", as: SocketsFunction.self, why: tooOld)
        processorHandles = try library.required("amdsmi_get_processor_handles", as: ProcessorsFunction.self, why: tooOld)
        energyCount = library.optional("amdsmi_get_energy_count", as: EnergyFunction.self)
        powerInfo = library.optional("amdsmi_get_power_info", as: InfoFunction.self)
        asicInfo = library.optional("amdsmi_get_gpu_asic_info", as: InfoFunction.self)
        statusString = library.optional("amdsmi_status_code_to_string", as: StatusStringFunction.self)
        version = library.optional("amdsmi_get_lib_version", as: VersionFunction.self).flatMap(Self.version(from:))
        powerLayout = version.map(AMDSMIPowerInfoLayout.init(version:))
        guard energyCount != nil || powerInfo != nil else {
            throw EnergyError.meterUnavailable(
                meter: "amdsmi",
                reason: "\(libraryName) has neither amdsmi_get_energy_count nor amdsmi_get_power_info: nothing to measure with")
        }
    }

    /// Asks `amdsmi_get_lib_version` (which needs no `amdsmi_init`) through a zeroed buffer larger
    /// than `amdsmi_version_t`.
    private static func version(from function: VersionFunction) -> AMDSMIVersion? {
        var words = [UInt32](repeating: 0, count: versionBufferBytes / 4)
        let code = words.withUnsafeMutableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress else { return -1 }
            return function(base)
        }
        return code == success ? AMDSMIVersion(words: words) : nil
    }

    /// AMD SMI's text for a status code.
    func describe(_ code: Int32) -> String {
        var text: UnsafePointer<CChar>?
        if let statusString, statusString(code, &text) == Self.success, let text {
            return "\(String(cString: text)) (AMD SMI status \(code))"
        }
        return "AMD SMI status \(code)"
    }

    /// Every GPU processor, socket by socket, in the order AMD SMI lists them (the order of
    /// `amd-smi list`), with its socket's position.
    func processors() -> Result<[(socket: Int, processor: Handle)], AMDSMIStatus> {
        var socketCount: UInt32 = 0
        var code = socketHandles(&socketCount, nil)
        guard code == Self.success else {
            return .failure(AMDSMIStatus(code: code, text: "amdsmi_get_socket_handles failed: \(describe(code))"))
        }
        var sockets = [Handle](repeating: nil, count: Int(socketCount))
        code = sockets.withUnsafeMutableBufferPointer { socketHandles(&socketCount, $0.baseAddress) }
        guard code == Self.success else {
            return .failure(AMDSMIStatus(code: code, text: "amdsmi_get_socket_handles failed: \(describe(code))"))
        }
        var found: [(socket: Int, processor: Handle)] = []
        for (position, socket) in sockets.prefix(Int(socketCount)).enumerated() {
            var count: UInt32 = 0
            code = processorHandles(socket, &count, nil)
            guard code == Self.success else {
                return .failure(AMDSMIStatus(code: code, text: "amdsmi_get_processor_handles failed: \(describe(code))"))
            }
            var handles = [Handle](repeating: nil, count: Int(count))
            code = handles.withUnsafeMutableBufferPointer { processorHandles(socket, &count, $0.baseAddress) }
            guard code == Self.success else {
                return .failure(AMDSMIStatus(code: code, text: "amdsmi_get_processor_handles failed: \(describe(code))"))
            }
            found += handles.prefix(Int(count)).map { (position, $0) }
        }
        return .success(found)
    }

    /// The processor's energy accumulator and its microjoules per count, or the failing status.
    func energy(of processor: Handle) -> Result<(counts: UInt64, microjoulesPerCount: Double), AMDSMIStatus> {
        guard let energyCount else { return .failure(AMDSMIStatus(code: -1, text: "the library has no amdsmi_get_energy_count")) }
        var counts: UInt64 = 0
        var resolution: Float = 0
        var timestamp: UInt64 = 0
        let code = energyCount(processor, &counts, &resolution, &timestamp)
        guard code == Self.success else { return .failure(AMDSMIStatus(code: code, text: describe(code))) }
        return .success((counts, Double(resolution)))
    }

    /// The socket's power in watts, read by the version's layout (`AMDSMIPowerInfoLayout.watts`);
    /// nil when it cannot be read, reads 0 or "not supported", or the version is unknown.
    func socketWatts(of processor: Handle) -> Double? {
        guard let powerInfo, let powerLayout else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.powerInfoBufferBytes, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        guard let base = buffer.baseAddress, powerInfo(processor, base) == Self.success else { return nil }
        return powerLayout.watts(in: UnsafeRawBufferPointer(buffer))
    }

    /// The processor's market name, "AMD Instinct MI300X"; nil when the library cannot say.
    func name(of processor: Handle) -> String? {
        guard let asicInfo else { return nil }
        var bytes = [UInt8](repeating: 0, count: Self.asicInfoBytes)
        let code = bytes.withUnsafeMutableBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return asicInfo(processor, base)
        }
        guard code == Self.success else { return nil }
        let name = String(decoding: bytes.prefix(256).prefix { $0 != 0 }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }

}

/// A status AMD SMI answered, with its text.
struct AMDSMIStatus: Error {
    var code: Int32
    var text: String
}
