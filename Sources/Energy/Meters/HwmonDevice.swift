/// One hwmon device with energy or power files, as the kernel lays it out.
///
/// Each `/sys/class/hwmon/hwmonN` is a symlink to `…/<parent device>/hwmon/hwmonN`, holding a
/// `name` file (the driver's chip name: `amdgpu`, `xe`, `amd_energy`, `power_meter`), a
/// `device` symlink to the parent device, and attributes named by Documentation/hwmon/
/// sysfs-interface: `energyN_input` (cumulative µJ), `powerN_average` and `powerN_input` (µW),
/// with an optional `energyN_label` / `powerN_label` naming the channel.
struct HwmonDevice: Equatable {
    /// One energy or power channel.
    struct Channel: Equatable {
        /// `energy1`, `power1`.
        var stem: String
        var number: Int
        /// The `…_label` file's text (`card`, `PPT`, `Esocket0`), nil when there is none.
        var label: String?
        /// The file read: `…/energy1_input`, `…/power1_average`.
        var path: String
        /// Whether the file holds microwatts to integrate rather than a microjoule counter.
        var isPower: Bool

        /// What users see: the label, else the stem.
        var displayName: String { label ?? stem }
    }

    /// `/sys/class/hwmon/hwmon3`.
    var directory: String
    /// `hwmon3`.
    var entry: String
    /// The `name` file.
    var name: String
    /// The DRM card number of the parent device (`device/drm/card1`), for GPUs.
    var card: Int?
    var energyChannels: [Channel]
    var powerChannels: [Channel]

    /// The hwmon number, for a stable order.
    var number: Int { Int(entry.dropFirst("hwmon".count)) ?? Int.max }
}

/// Finds hwmon devices through the file seam, so fixture roots and denied paths apply.
enum HwmonSurvey {
    /// Every `hwmonN` under `root` with a `name` file, in hwmon order; devices with neither
    /// energy nor power files are kept (the caller ignores them) so a note can say what was seen.
    static func devices(files: SystemFiles, root: String) -> [HwmonDevice] {
        let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
        var devices: [HwmonDevice] = []
        for entry in files.entries(of: trimmed) where entry.hasPrefix("hwmon") && Int(entry.dropFirst(5)) != nil {
            let directory = trimmed + "/" + entry
            guard let name = try? files.readLine(directory + "/name"), !name.isEmpty else { continue }
            let names = files.entries(of: directory)
            var energy: [HwmonDevice.Channel] = []
            var power: [Int: HwmonDevice.Channel] = [:]
            for file in names {
                if let number = channelNumber(file, prefix: "energy", suffix: "_input") {
                    energy.append(channel("energy", number, isPower: false, file: file, directory: directory, files: files))
                } else if let number = channelNumber(file, prefix: "power", suffix: "_average") {
                    // The average is steadier than the instantaneous figure between 1 s polls.
                    power[number] = channel("power", number, isPower: true, file: file, directory: directory, files: files)
                } else if let number = channelNumber(file, prefix: "power", suffix: "_input"), power[number] == nil {
                    power[number] = channel("power", number, isPower: true, file: file, directory: directory, files: files)
                }
            }
            devices.append(
                HwmonDevice(
                    directory: directory, entry: entry, name: name, card: card(of: directory, files: files),
                    energyChannels: energy.sorted { $0.number < $1.number },
                    powerChannels: power.values.sorted { $0.number < $1.number }))
        }
        return devices.sorted { $0.number < $1.number }
    }

    /// N in `<prefix>N<suffix>`, nil for any other name (`power1_average_interval`, `energy1_label`).
    static func channelNumber(_ file: String, prefix: String, suffix: String) -> Int? {
        guard file.hasPrefix(prefix), file.hasSuffix(suffix), file.count > prefix.count + suffix.count else { return nil }
        let digits = file.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int(digits) else { return nil }
        return number
    }

    private static func channel(
        _ kind: String, _ number: Int, isPower: Bool, file: String, directory: String, files: SystemFiles
    ) -> HwmonDevice.Channel {
        let stem = "\(kind)\(number)"
        let label = (try? files.readLine(directory + "/\(stem)_label")).flatMap { $0.isEmpty ? nil : $0 }
        return HwmonDevice.Channel(stem: stem, number: number, label: label, path: directory + "/" + file, isPower: isPower)
    }

    /// The card number under `device/drm/` (`card1`; `card1-DP-1` connectors and `renderD128`
    /// nodes are not cards).
    private static func card(of directory: String, files: SystemFiles) -> Int? {
        files.entries(of: directory + "/device/drm").compactMap { entry -> Int? in
            guard entry.hasPrefix("card") else { return nil }
            return Int(entry.dropFirst(4))
        }.min()
    }
}
