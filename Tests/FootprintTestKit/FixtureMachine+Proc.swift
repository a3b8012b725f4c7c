import Foundation

extension FixtureMachine {
    /// Writes /proc/stat with an aggregate line: `user nice system idle iowait irq softirq steal`.
    public func writeProcStat(user: UInt64, system: UInt64 = 0, idle: UInt64, iowait: UInt64 = 0, steal: UInt64 = 0) throws {
        try write(
            "/proc/stat",
            """
            cpu  \(user) 0 \(system) \(idle) \(iowait) 0 0 \(steal) 0 0
            cpu0 \(user / 2) 0 \(system / 2) \(idle / 2) \(iowait / 2) 0 0 \(steal / 2) 0 0
            intr 123456 0 0
            ctxt 987654
            btime 1700000000
            processes 4242
            procs_running 1
            procs_blocked 0

            """)
    }

    /// Writes /proc/meminfo with the fields the kernel prints first.
    public func writeMeminfo(totalKilobytes: UInt64, availableKilobytes: UInt64) throws {
        try write(
            "/proc/meminfo",
            """
            MemTotal:       \(totalKilobytes) kB
            MemFree:        \(availableKilobytes / 2) kB
            MemAvailable:   \(availableKilobytes) kB
            Buffers:           12345 kB
            Cached:           678901 kB

            """)
    }

    /// Writes /proc/cpuinfo with `processors` entries of the given model.
    public func writeCPUInfo(modelName: String, processors: Int, vendor: String = "GenuineIntel", family: Int = 6, model: Int = 106) throws
    {
        var text = ""
        for index in 0..<processors {
            text += """
                processor\t: \(index)
                vendor_id\t: \(vendor)
                cpu family\t: \(family)
                model\t\t: \(model)
                model name\t: \(modelName)
                stepping\t: 6
                cpu MHz\t\t: 2800.000
                siblings\t: \(processors)


                """
        }
        try write("/proc/cpuinfo", text)
    }

    /// Writes the perf power PMU: `type`, `cpumask` (nil to leave it out) and each event with its
    /// `.scale` and `.unit`, as `/sys/bus/event_source/devices/power/` has them.
    public func writePowerPMU(type: Int, cpumask: String?, events: [(name: String, config: String, scale: String, unit: String)]) throws {
        let base = "/sys/bus/event_source/devices/power"
        try write(base + "/type", "\(type)\n")
        if let cpumask { try write(base + "/cpumask", cpumask + "\n") }
        try write(base + "/format/event", "config:0-7\n")
        try makeDirectory(base + "/events")
        for event in events {
            try write(base + "/events/\(event.name)", event.config + "\n")
            try write(base + "/events/\(event.name).scale", event.scale + "\n")
            try write(base + "/events/\(event.name).unit", event.unit + "\n")
        }
    }

    /// Writes CPU topology: `physical_package_id` for cpu0…cpuN-1.
    public func writeCPUTopology(packageOfCPU: [Int]) throws {
        for (cpu, package) in packageOfCPU.enumerated() {
            try write("/sys/devices/system/cpu/cpu\(cpu)/topology/physical_package_id", "\(package)\n")
        }
    }
}
