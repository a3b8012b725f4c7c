import ArgumentParser
import Energy

/// Where the meters read: the powercap and hwmon roots (a bind-mounted sysfs, a container's
/// `/host/sys`), the GPU libraries, and the psys choice. Shared by `train`, `wrap`, `meters`
/// and `agent`, so each reads the same things the same way.
struct MeterSourceOptions: ParsableArguments {
    @Option(
        name: .customLong("powercap-root"),
        help: ArgumentHelp(
            "Read RAPL zones under this one directory instead of /sys/class/powercap; a zone such as .../intel-rapl:0 is read with its sub-zones ($FOOTPRINT_POWERCAP_ROOT).",
            valueName: "path"))
    var powercapRoot: String?

    @Option(
        name: .customLong("hwmon-root"),
        help: ArgumentHelp(
            "Read hwmon devices under this directory instead of /sys/class/hwmon ($FOOTPRINT_HWMON_ROOT).", valueName: "path"))
    var hwmonRoot: String?

    @Option(
        name: .customLong("nvml-library"),
        help: ArgumentHelp("NVML library to load ($FOOTPRINT_NVML_LIBRARY, default libnvidia-ml.so.1).", valueName: "path"))
    var nvmlLibrary: String?

    @Option(
        name: .customLong("amdsmi-library"),
        help: ArgumentHelp("AMD SMI library to load ($FOOTPRINT_AMDSMI_LIBRARY, default libamd_smi.so).", valueName: "path"))
    var amdsmiLibrary: String?

    @Flag(name: .customLong("psys"), help: "Use the RAPL psys (whole SoC) zone instead of package + dram.")
    var preferPsys = false

    func validate() throws {
        for (flag, value) in [
            ("--powercap-root", powercapRoot), ("--hwmon-root", hwmonRoot), ("--nvml-library", nvmlLibrary),
            ("--amdsmi-library", amdsmiLibrary),
        ] where value?.isEmpty == true {
            throw ValidationError("\(flag) needs a path.")
        }
    }

    /// Applies the flags given over what the environment set.
    func apply(to options: inout MeterOptions) {
        if let powercapRoot { options.usePowercapRoot(powercapRoot) }
        if let hwmonRoot { options.hwmonRoot = hwmonRoot }
        if let nvmlLibrary { options.nvmlLibraryName = nvmlLibrary }
        if let amdsmiLibrary { options.amdsmiLibraryName = amdsmiLibrary }
        if preferPsys { options.preferPsys = true }
    }
}
