import Energy
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// hwmon devices laid out as the kernel lays them out: the attributes live in
/// `/sys/devices/<bus path>/<device>/hwmon/hwmonN/` beside a `device` symlink to the parent
/// device (whose `drm/cardN` names a GPU's card), and `/sys/class/hwmon/hwmonN` is a relative
/// symlink to that directory (`../../devices/…/hwmon/hwmonN`).
extension FixtureMachine {
    /// Adds a hwmon device under `devicePath` with `files` (name → content) and its class link.
    ///
    /// - Parameters:
    ///   - name: The `name` file (the driver's chip name).
    ///   - devicePath: The parent device, `/sys/devices/pci0000:00/…/0000:03:00.0`.
    ///   - files: Attributes of the hwmon directory, without a trailing newline.
    ///   - card: The DRM card number to create under the parent device, for GPUs.
    /// - Returns: The class path, `/sys/class/hwmon/hwmonN`.
    @discardableResult
    public func addHwmonDevice(name: String, devicePath: String, files: [String: String], card: Int? = nil) throws -> String {
        try makeDirectory("/sys/class/hwmon")
        let taken = (try? FileManager.default.contentsOfDirectory(atPath: root + "/sys/class/hwmon")) ?? []
        let entry = "hwmon\(taken.count)"
        let directory = devicePath + "/hwmon/" + entry
        try write(directory + "/name", name + "\n")
        for (file, content) in files { try write(directory + "/" + file, content + "\n") }
        // The kernel's links are relative, so they resolve inside the fixture root too.
        let parent = (devicePath as NSString).lastPathComponent
        try FileManager.default.createSymbolicLink(atPath: root + directory + "/device", withDestinationPath: "../../../" + parent)
        try FileManager.default.createSymbolicLink(
            atPath: root + "/sys/class/hwmon/" + entry, withDestinationPath: "../../devices" + directory.dropFirst("/sys/devices".count))
        if let card {
            try makeDirectory(devicePath + "/drm/card\(card)")
            try makeDirectory(devicePath + "/drm/renderD\(128 + card)")
        }
        return "/sys/class/hwmon/" + entry
    }

    /// An Intel Arc B-series (Battlemage) GPU under `xe`: `energy1` labelled `card` (the whole
    /// card) and `energy2` labelled `pkg` (the GPU package, inside it), µJ counters, with the
    /// power-limit files xe also exposes. Older xe GPUs (DG2, PVC) have the `pkg` channel only.
    @discardableResult
    public func addXeGPU(card: Int = 0, pciSlot: Int = 3, withCardChannel: Bool = true) throws -> String {
        var files = [
            "energy2_input": "0", "energy2_label": "pkg", "power2_max": "120000000", "power2_rated_max": "150000000",
            "power2_label": "pkg", "in1_input": "950", "in1_label": "pkg",
        ]
        if withCardChannel {
            files["energy1_input"] = "0"
            files["energy1_label"] = "card"
            files["power1_max"] = "190000000"
            files["power1_label"] = "card"
        }
        return try addHwmonDevice(
            name: "xe", devicePath: "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/0000:0\(pciSlot):00.0",
            files: files, card: card)
    }

    /// An AMD GPU under `amdgpu`: power in µW labelled `PPT` (`power1_average`, and/or
    /// `power1_input` on newer kernels), no energy counter, with temperatures and clocks beside.
    @discardableResult
    public func addAMDGPU(card: Int = 1, pciBus: Int = 12, averageMicrowatts: UInt64? = 50_000_000, inputMicrowatts: UInt64? = nil)
        throws -> String
    {
        var files = [
            "power1_label": "PPT", "power1_cap": "300000000", "power1_cap_max": "300000000", "temp1_input": "45000",
            "temp1_label": "edge", "freq1_input": "800000000", "freq1_label": "sclk",
        ]
        if let averageMicrowatts { files["power1_average"] = "\(averageMicrowatts)" }
        if let inputMicrowatts { files["power1_input"] = "\(inputMicrowatts)" }
        let bus = String(format: "%02x", pciBus)
        return try addHwmonDevice(
            name: "amdgpu", devicePath: "/sys/devices/pci0000:00/0000:00:03.1/0000:0a:00.0/0000:0b:00.0/0000:\(bus):00.0",
            files: files, card: card)
    }

    /// AMD CPU energy under `amd_energy` (a platform device): one counter per core labelled
    /// `Ecore000`…, then one per socket labelled `Esocket0`…, in µJ (root-only on real machines).
    ///
    /// - Returns: The class path; socket `s` is `energy<cores + s + 1>_input`.
    @discardableResult
    public func addAMDEnergy(cores: Int, sockets: Int) throws -> String {
        var files: [String: String] = [:]
        for core in 0..<cores {
            files["energy\(core + 1)_input"] = "0"
            files["energy\(core + 1)_label"] = String(format: "Ecore%03d", core)
        }
        for socket in 0..<sockets {
            files["energy\(cores + socket + 1)_input"] = "0"
            files["energy\(cores + socket + 1)_label"] = "Esocket\(socket)"
        }
        return try addHwmonDevice(name: "amd_energy", devicePath: "/sys/devices/platform/amd_energy.0", files: files)
    }

    /// The ACPI power meter (`power_meter`): the whole system's power in µW.
    @discardableResult
    public func addACPIPowerMeter(microwatts: UInt64 = 400_000_000) throws -> String {
        try addHwmonDevice(
            name: "power_meter", devicePath: "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI000D:00",
            files: ["power1_average": "\(microwatts)", "power1_average_interval": "1000", "power1_is_battery": "0"])
    }

    /// A temperature-only device, as most of a real machine's hwmon devices are.
    @discardableResult
    public func addCoretemp() throws -> String {
        try addHwmonDevice(
            name: "coretemp", devicePath: "/sys/devices/platform/coretemp.0",
            files: ["temp1_input": "42000", "temp1_label": "Package id 0"])
    }

    /// Reads a hwmon attribute holding a number.
    public func hwmonValue(_ systemPath: String) -> UInt64 {
        (try? String(contentsOfFile: root + systemPath, encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    /// Adds `microjoules` to a hwmon counter.
    public func advanceHwmon(_ systemPath: String, microjoules: UInt64) throws {
        try write(systemPath, "\(hwmonValue(systemPath) + microjoules)\n")
    }

    /// Options on a fake clock whose probe also advances, by 1 mJ, every hwmon energy counter
    /// the test did not move, as a live device's counter moves during the probe.
    public func hwmonOptions(clock: FakeClock) -> MeterOptions {
        var options = options(clock: clock)
        let base = options.probeWork
        options.probeWork = { [root] seconds in
            let counters = Self.hwmonCounters(root: root)
            let before = counters.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }
            base(seconds)
            for (path, old) in zip(counters, before) {
                guard let now = try? String(contentsOfFile: path, encoding: .utf8), now == old,
                    let value = UInt64(now.trimmingCharacters(in: .whitespacesAndNewlines))
                else { continue }
                try? Data("\(value + 1000)\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        }
        return options
    }

    /// Every `energyN_input` under the fixture's /sys/class/hwmon, as host paths.
    static func hwmonCounters(root: String) -> [String] {
        let classDirectory = root + "/sys/class/hwmon"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: classDirectory)) ?? []
        return entries.flatMap { entry -> [String] in
            let directory = classDirectory + "/" + entry
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return files.filter { $0.hasPrefix("energy") && $0.hasSuffix("_input") }.map { directory + "/" + $0 }
        }
    }
}

/// Drives hwmon energy counters from a thread, as devices drawing the given watts would, and
/// keeps the ground truth (the microjoules it added to each).
public final class HwmonEnergyWriter: @unchecked Sendable {
    // @unchecked: `added` and `stopRequested` are only touched under `lock`.
    private let lock = NSLock()
    private let machine: FixtureMachine
    private let counters: [(path: String, watts: Double)]
    private let stepSeconds: Double
    private var added: [UInt64]
    private var stopRequested = false
    private let done = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - counters: System paths of `energyN_input` files and the watts each draws.
    ///   - stepSeconds: How often the files are rewritten.
    public init(machine: FixtureMachine, counters: [(path: String, watts: Double)], stepSeconds: Double = 0.002) {
        self.machine = machine
        self.counters = counters
        self.stepSeconds = stepSeconds
        added = counters.map { _ in 0 }
    }

    private static func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Starts counting from each file's present value.
    public func start() {
        let starts = counters.map { machine.hwmonValue($0.path) }
        let thread = Thread { [self] in
            let begin = Self.nowSeconds()
            while lock.withLock({ !stopRequested }) {
                let elapsed = Self.nowSeconds() - begin
                for (index, counter) in counters.enumerated() {
                    let total = UInt64(max(elapsed, 0) * counter.watts * 1e6)
                    try? machine.write(counter.path, "\(starts[index] + total)\n")
                    lock.withLock { added[index] = total }
                }
                Thread.sleep(forTimeInterval: stepSeconds)
            }
            done.signal()
        }
        thread.start()
    }

    /// Stops writing and returns the joules written to each counter.
    public func stop() -> [Double] {
        lock.withLock { stopRequested = true }
        done.wait()
        return lock.withLock { added.map { Double($0) * 1e-6 } }
    }
}
