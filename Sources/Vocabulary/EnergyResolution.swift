/// The finest energy figure a meter can show: its energy step and how often it updates.
///
/// A figure of fewer than ``resolvedMultiple`` steps, or taken over fewer than that many update
/// periods, is noise rather than a result: it is stored, but marked unresolved,
/// and comparisons never rank or divide it.
public struct EnergyResolution: Sendable, Codable, Equatable {
    /// How many steps and periods a figure needs before it counts as a result.
    public static let resolvedMultiple = 10.0

    /// The largest share of a figure that may be bridged across intervals a counter lost (a
    /// reset, a read failure) for the figure still to count as a result.
    public static let maximumBridgedShare = 0.05

    /// The smallest energy increment, joules; 0 for the estimate, whose figures are continuous
    /// and limited by its clock instead.
    public var stepJoules: Double
    /// How often the counter (or the estimate's load source) updates, seconds.
    public var periodSeconds: Double
    /// What sets it, in words: `rapl: 2^-14 J steps (61 µJ), updated about every 1 ms`.
    public var source: String

    /// Creates a resolution.
    ///
    /// - Parameters:
    ///   - stepJoules: The energy step, joules (≥ 0).
    ///   - periodSeconds: The update period, seconds (≥ 0).
    ///   - source: What sets it, in words.
    public init(stepJoules: Double, periodSeconds: Double, source: String) {
        self.stepJoules = stepJoules
        self.periodSeconds = periodSeconds
        self.source = source
    }

    /// Whether `joules` gathered over `seconds` is at least ten steps and ten periods.
    ///
    /// - Parameters:
    ///   - joules: The figure.
    ///   - seconds: The time it covers.
    /// - Returns: True when the figure is a result, false when it is below resolution.
    public func resolves(joules: Double, seconds: Double) -> Bool {
        joules.isFinite && seconds.isFinite
            && joules >= Self.resolvedMultiple * stepJoules && joules > 0
            && seconds >= Self.resolvedMultiple * periodSeconds
    }

    /// The coarser of two resolutions, for a total that adds meters.
    public func coarsened(with other: EnergyResolution) -> EnergyResolution {
        EnergyResolution(
            stepJoules: max(stepJoules, other.stepJoules), periodSeconds: max(periodSeconds, other.periodSeconds),
            source: source == other.source ? source : source + "; " + other.source)
    }

    /// Intel RAPL read through powercap or perf: energy-status units of 2^-ESU J, ESU 14 on
    /// many clients (61 µJ) and 16 on servers and AMD (15.3 µJ); the coarser is assumed since
    /// sysfs does not expose the unit. Counters update about every millisecond (Intel SDM
    /// vol. 3B §15.10; Khan et al., "RAPL in action", 2018).
    public static let rapl = EnergyResolution(
        stepJoules: 1.0 / 16384, periodSeconds: 0.001, source: "RAPL: steps of 2^-14 J (61 µJ), updated about every 1 ms")

    /// NVML's total-energy counter counts millijoules; the driver refreshes it and averages
    /// power over windows of up to a second (NVML API reference, nvmlDeviceGetPowerUsage), so
    /// sub-second figures are blurred.
    public static let nvml = EnergyResolution(
        stepJoules: 0.001, periodSeconds: 0.1, source: "NVML: 1 mJ steps, refreshed about every 100 ms")

    /// AMD SMI's energy accumulator (`amdsmi_get_energy_count`) counts in the resolution the
    /// driver returns with it, 15.259 µJ (2^-16 J) on MI200 and MI300 ("Energy (15.259uJ (2^-16)
    /// units)", ROCm/amdsmi `rocm_smi/include/rocm_smi/rocm_smi_gpu_metrics.h`). The firmware's
    /// refresh period is not documented; 10 ms is assumed, coarser than the 1 ms the driver
    /// caches its metrics table for, so a figure is judged against the slower of the two.
    public static let amdsmi = EnergyResolution(
        stepJoules: 1.0 / 65536, periodSeconds: 0.01, source: "AMD SMI: steps of 2^-16 J (15.3 µJ), refreshed about every 10 ms")

    /// The estimate: its machine load comes from /proc/stat, which counts in clock ticks (USER_HZ,
    /// 100 Hz: 10 ms); its own process's CPU time is finer, but the total is only as fine as the tick.
    public static func estimate(ticksPerSecond: Double) -> EnergyResolution {
        let tick = 1 / max(ticksPerSecond, 1)
        return EnergyResolution(
            stepJoules: 0, periodSeconds: tick,
            source: "estimate: machine load from /proc/stat ticks of \(Int((tick * 1000).rounded())) ms")
    }

    /// The resolution assumed for runs stored before resolutions were recorded (schema v3).
    public static func assumed(measured: Bool) -> EnergyResolution {
        measured ? .rapl : .estimate(ticksPerSecond: 100)
    }
}

// MARK: hwmon

extension EnergyResolution {
    /// hwmon energy counters (`energyN_input`) read in microjoules over coarser hardware
    /// units: Intel GPUs count in 2^-14 J (i915 and xe `ENERGY_UNIT`; the i915 ABI notes that at
    /// 1 W the 32-bit register wraps in about 3 days, 2^18 J), `amd_energy` in the RAPL unit of
    /// its MSR, updated every 1 ms (Documentation/hwmon/amd_energy.rst). The coarser unit is
    /// assumed, as for RAPL.
    public static let hwmonEnergy = EnergyResolution(
        stepJoules: 1.0 / 16384, periodSeconds: 0.001,
        source: "hwmon energy: µJ counters over 2^-14 J hardware steps (61 µJ), updated about every 1 ms")

    /// hwmon power (`powerN_average`, else `powerN_input`, microwatts) sampled at every poll and
    /// integrated: amdgpu's PPT is the SMU firmware's average power, refreshed from its metrics
    /// table and averaged over about a second (amdgpu hwmon docs, "power1_average: average power
    /// used by the SoC"), so figures under ten seconds are blurred.
    public static let hwmonPower = EnergyResolution(
        stepJoules: 0, periodSeconds: 1,
        source: "hwmon power: sampled averages over about 1 s (amdgpu PPT), integrated between polls")
}
