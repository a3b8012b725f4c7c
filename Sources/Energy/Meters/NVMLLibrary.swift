#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few NVML functions Footprint calls, resolved with dlopen/dlsym so that building and
/// running never need an NVIDIA driver.
final class NVMLLibrary {
    typealias Device = OpaquePointer?
    typealias InitFunction = @convention(c) () -> Int32
    typealias CountFunction = @convention(c) (UnsafeMutablePointer<UInt32>) -> Int32
    typealias HandleFunction = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias EnergyFunction = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>) -> Int32
    typealias PowerFunction = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt32>) -> Int32
    typealias NameFunction = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>, UInt32) -> Int32
    typealias ErrorStringFunction = @convention(c) (Int32) -> UnsafePointer<CChar>?

    static let success: Int32 = 0

    private let library: VendorLibrary
    let initialize: InitFunction
    let shutdown: InitFunction
    let deviceCount: CountFunction
    let deviceHandle: HandleFunction
    /// nil on drivers without it (before Volta support): the meter then samples power.
    let totalEnergy: EnergyFunction?
    /// nil where the library lacks it: the meter then needs the energy counter.
    let powerUsage: PowerFunction?
    /// nil where the library lacks it: zones are then labelled by index alone.
    private let deviceName: NameFunction?
    private let errorString: ErrorStringFunction?

    /// Loads the library and resolves its symbols: initialisation, shutdown and device
    /// enumeration are required; energy, power, names and error texts are used when present.
    ///
    /// - Throws: `EnergyError.meterUnavailable` with dlerror's text when the library or a
    ///   required symbol is missing (no NVIDIA driver: the usual case, not a failure), or when
    ///   it has neither the energy counter nor the power reading.
    init(libraryName: String) throws(EnergyError) {
        let library = try VendorLibrary(name: libraryName, meter: "nvml", absence: "no NVIDIA driver here")
        self.library = library
        let tooOld = "driver too old"
        initialize = try library.required("nvmlInit_v2", as: InitFunction.self, why: tooOld)
        shutdown = try library.required("nvmlShutdown", as: InitFunction.self, why: tooOld)
        deviceCount = try library.required("nvmlDeviceGetCount_v2", as: CountFunction.self, why: tooOld)
        deviceHandle = try library.required("nvmlDeviceGetHandleByIndex_v2", as: HandleFunction.self, why: tooOld)
        totalEnergy = library.optional("nvmlDeviceGetTotalEnergyConsumption", as: EnergyFunction.self)
        powerUsage = library.optional("nvmlDeviceGetPowerUsage", as: PowerFunction.self)
        deviceName = library.optional("nvmlDeviceGetName", as: NameFunction.self)
        errorString = library.optional("nvmlErrorString", as: ErrorStringFunction.self)
        guard totalEnergy != nil || powerUsage != nil else {
            throw EnergyError.meterUnavailable(
                meter: "nvml",
                reason:
                    "\(libraryName) has neither nvmlDeviceGetTotalEnergyConsumption nor nvmlDeviceGetPowerUsage: nothing to measure with")
        }
    }

    /// NVML's text for a return code.
    func describe(_ code: Int32) -> String {
        if let errorString, let text = errorString(code) { return "\(String(cString: text)) (NVML code \(code))" }
        return "NVML code \(code)"
    }

    /// The device's marketing name, "NVIDIA H200"; nil when the library cannot say.
    func name(of device: Device) -> String? {
        guard let deviceName else { return nil }
        var buffer = [CChar](repeating: 0, count: 96)
        let code = buffer.withUnsafeMutableBufferPointer { bytes -> Int32 in
            guard let base = bytes.baseAddress else { return -1 }
            return deviceName(device, base, UInt32(bytes.count))
        }
        guard code == Self.success else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The device's power in watts, nil when it cannot be read.
    func watts(of device: Device) -> Double? {
        var milliwatts: UInt32 = 0
        guard let powerUsage, powerUsage(device, &milliwatts) == Self.success else { return nil }
        return Double(milliwatts) / 1000
    }

}
