#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GPU vendor's library opened at run time (`dlopen`), so that building and running never
/// need the driver; its functions are resolved by name. Closed when the last owner lets go.
final class VendorLibrary {
    /// The meter that reads through it ("nvml", "amdsmi"), for messages.
    let meter: String
    /// What was handed to dlopen: a file name or a path.
    let name: String
    private let handle: UnsafeMutableRawPointer

    /// Opens the library.
    ///
    /// - Parameters:
    ///   - name: The file name or path handed to dlopen.
    ///   - meter: The meter's name, for messages.
    ///   - absence: What the library's absence usually means ("no NVIDIA driver here").
    /// - Throws: `EnergyError.meterUnavailable` with dlerror's text.
    init(name: String, meter: String, absence: String) throws(EnergyError) {
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw EnergyError.meterUnavailable(meter: meter, reason: "\(name) could not be loaded (\(absence)): \(reason)")
        }
        self.handle = handle
        self.meter = meter
        self.name = name
    }

    /// A function the meter cannot do without.
    ///
    /// - Parameters:
    ///   - symbol: Its name.
    ///   - type: Its `@convention(c)` type, as the vendor's header declares it.
    ///   - why: What its absence means ("driver too old").
    /// - Throws: `EnergyError.meterUnavailable` naming the function.
    func required<T>(_ symbol: String, as type: T.Type, why: String) throws(EnergyError) -> T {
        guard let pointer = dlsym(handle, symbol) else {
            throw EnergyError.meterUnavailable(meter: meter, reason: "\(name) has no \(symbol) (\(why))")
        }
        return unsafeBitCast(pointer, to: type)
    }

    /// A function the meter uses when the library has it.
    func optional<T>(_ symbol: String, as type: T.Type) -> T? {
        dlsym(handle, symbol).map { unsafeBitCast($0, to: type) }
    }

    deinit { dlclose(handle) }
}
