/// Placeholder until the hwmon meter lands.
enum HwmonMeter {
    struct Opened {
        var meters: [any EnergyMeter]
        var notes: [String]
    }

    static func open(options: MeterOptions) throws(EnergyError) -> Opened {
        throw EnergyError.meterUnavailable(
            meter: "hwmon", reason: "no hwmon device with an energy or power file under \(options.hwmonRoot)")
    }
}
