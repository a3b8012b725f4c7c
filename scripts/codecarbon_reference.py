#!/usr/bin/env python3
"""CodeCarbon reference figure for the job `footprint` measures in the numpy comparison.

Runs Benchmarks/numpy_mlp.py as a subprocess, with the same command line Footprint is given,
inside codecarbon.OfflineEmissionsTracker (measure_power_secs=1, log_level="error",
save_to_file=False), and prints one JSON object: the CodeCarbon version, the duration, the
energy in kWh and joules (total, CPU, RAM, GPU), the mean CPU and RAM power, and how
CodeCarbon got its CPU and RAM figures on this machine (tracking mode, CPU model and the TDP
it used, whether it found RAPL, the RAM size and its DIMM model).

    pip install codecarbon
    python3 scripts/codecarbon_reference.py                  # 2000 steps, world average
    python3 scripts/codecarbon_reference.py --steps 4000 --country USA

2000 steps take about 3-4 s on an idle 2-vCPU VM. Run it as a fresh process each time
(CodeCarbon caches its hardware probe per process), and on an idle machine: CodeCarbon tracks
the machine, so its CPU figure follows system-wide load, including other people's jobs.

CodeCarbon's offline tracker has no "world" code: an ISO code missing from its
global_energy_mix.json (WLD, the default here) logs "Does not support country" and its
emissions fall back to the world average intensity (475 gCO2e/kWh in CodeCarbon 3.3.2,
core/emissions.py get_country_emissions). The country only changes `emissions`, never the
energy figures.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

KWH_TO_J = 3.6e6
REPO = pathlib.Path(__file__).resolve().parent.parent
BENCH = REPO / "Benchmarks" / "numpy_mlp.py"


def rapl_and_perf_notes(codecarbon_dir):
    """What CodeCarbon can reach here: its RAPL probe, and whether it has any perf code."""
    from codecarbon.core import cpu

    sources = [p.read_text(errors="replace") for p in pathlib.Path(codecarbon_dir).rglob("*.py")]
    perf_files = sum(1 for s in sources
                     if "perf_event" in s or "event_source" in s or "energy-psys" in s)
    return {
        "raplAvailable": cpu.is_rapl_available(),  # sysfs powercap only, no perf
        "powercapPaths": {p: os.path.exists(p) for p in ("/sys/class/powercap",
                                                          "/sys/devices/virtual/powercap")},
        "perfPowerEventsHere": sorted(os.listdir("/sys/bus/event_source/devices/power/events"))
        if os.path.isdir("/sys/bus/event_source/devices/power/events") else [],
        "codecarbonSourceFilesUsingPerf": perf_files,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--country", default="WLD",
                        help="ISO 3166 alpha-3 code for the offline tracker (emissions only)")
    args = parser.parse_args()

    import codecarbon
    from codecarbon import OfflineEmissionsTracker
    from codecarbon.external.hardware import CPU, GPU
    from codecarbon.external.ram import RAM

    command = [sys.executable, str(BENCH), "--inputs", "784", "--hidden", "256",
               "--outputs", "10", "--batch-size", "128", "--steps", str(args.steps)]

    tracker = OfflineEmissionsTracker(country_iso_code=args.country, measure_power_secs=1,
                                      log_level="error", save_to_file=False)
    tracker.start()
    wall_start = time.perf_counter()
    job = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - wall_start
    tracker.stop()
    data = tracker.final_emissions_data

    cpus = [h for h in tracker._hardware if isinstance(h, CPU)]
    rams = [h for h in tracker._hardware if isinstance(h, RAM)]
    cpu_hw = cpus[0] if cpus else None
    ram_gb = rams[0].machine_memory_GB if rams else None

    print(json.dumps({
        "codecarbon": codecarbon.__version__,
        "command": " ".join(command[1:]),
        "country": args.country,
        "durationSeconds": data.duration,
        "jobWallSeconds": wall,
        "job": json.loads(job.stdout),
        "energyConsumedKWh": data.energy_consumed,
        "energyConsumedJ": data.energy_consumed * KWH_TO_J,
        "cpuEnergyJ": data.cpu_energy * KWH_TO_J,
        "ramEnergyJ": data.ram_energy * KWH_TO_J,
        "gpuEnergyJ": data.gpu_energy * KWH_TO_J,
        "cpuPowerW": data.cpu_power,
        "ramPowerW": data.ram_power,
        "gpuPowerW": data.gpu_power,
        "emissionsKg": data.emissions,
        "trackingMode": tracker._tracking_mode,
        "pue": tracker._pue,
        "cpuMode": cpu_hw._mode if cpu_hw else None,
        "cpuModel": data.cpu_model,
        "cpuCount": data.cpu_count,
        "cpuPhysicalCount": tracker._conf.get("cpu_physical_count"),
        "cpuTdpUsedW": cpu_hw._tdp if cpu_hw else None,
        "cpuTdpGeneric85W": cpu_hw._is_generic_tdp if cpu_hw else None,
        "ramTotalGB": ram_gb,
        "ramDimmEstimate": rams[0]._estimate_dimm_count(ram_gb) if rams else None,
        "gpuCount": sum(1 for h in tracker._hardware if isinstance(h, GPU)),
        **rapl_and_perf_notes(os.path.dirname(codecarbon.__file__)),
    }))


if __name__ == "__main__":
    main()
