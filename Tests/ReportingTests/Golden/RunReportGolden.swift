/// The Markdown of `SyntheticRun`'s report, rendered with chart prefix `run-1`. A change here
/// is a change every reader sees: review the diff, then update. (The blank line before the
/// closing delimiter is the document's final newline.)
enum RunReportGolden {
    static let markdown = #"""
        # Run 1: mlp-h100 on terrain

        *train run, completed; started 2025-01-15T10:00:00.000Z on `testhost`; ended 2025-01-15T10:00:02.500Z; commit `0123456789ab`; tags `golden`.*

        Command: `footprint train --dataset terrain --hidden 100 --epochs 4`

        ## Summary

        | Figure    | Value                                                                                                     |
        | --------- | --------------------------------------------------------------------------------------------------------- |
        | Model     | `mlp:1-100-1`, 301 parameters (Linear(100) → Tanh → Linear(1))                                            |
        | Dataset   | terrain (regression)                                                                                      |
        | Quality   | validation MSE 0.0563, validation R² 0.9775, validation loss 0.0563, training loss 0.05                   |
        | Wall time | 2.50 s (CPU 2.40 s)                                                                                       |
        | FLOPs     | 792 MFLOP (forward 240 MFLOP, backward 480 MFLOP, optimizer 12.0 MFLOP, evaluation 60.0 MFLOP)            |
        | Energy    | 150 J (range 135 J – 180 J), measured (rapl: dram-0, package-0); 110 J attributed to this run by CPU time |
        | CO2e      | 1.83 mg CO2e (range 1.32 mg CO2e – 2.20 mg CO2e) at 44 gCO2e/kWh, grid FRA, Ember 2024, PUE 1             |

        Its 1.83 mg CO2e is about:

        - ≈ 1.7 cm by car (EEA 2023 average new car, 106.6 g/km)
        - ≈ 0.015% of one smartphone charge (US EPA, 12.4 g per charge)
        - ≈ 0.088 minutes of one tree's uptake (11 kg CO2 per year, Green Algorithms)
        - ≈ 1/490,000,000 of one New York ↔ San Francisco flight, one passenger (Strubell et al. 2019: 900 kg)

        ## Hardware and meters

        | Item             | Value                                           |
        | ---------------- | ----------------------------------------------- |
        | Host             | `testhost`                                      |
        | Operating system | Ubuntu 24.04.1 LTS (Linux 6.8.0-45-generic)     |
        | CPU              | Intel(R) Xeon(R) Platinum 8480+, 2 logical CPUs |
        | Memory           | 8.0 GiB                                         |
        | Compute kernel   | `avx2`                                          |

        | Meter | Zone      | Energy | In total                     | Share |
        | ----- | --------- | -----: | ---------------------------- | ----: |
        | rapl  | core-0    | 95.0 J | no (counted in another zone) |     — |
        | rapl  | dram-0    | 30.0 J | yes                          | 20.0% |
        | rapl  | package-0 |  120 J | yes                          | 80.0% |

        Resolution: RAPL: steps of 2^-14 J (61 µJ), updated about every 1 ms; a figure under ten steps or update periods is reported as below resolution.

        Meter notes:

        - perf power PMU not readable: perf\_event\_paranoid is 4; RAPL used

        ## Power over time

        ![Power over time](run-1-power.svg)

        16 samples over 2 meter zones.

        ## Epochs

        ![Loss over epochs](run-1-loss.svg)

        | Epoch | Train loss | Val loss |    MSE |     R² |   Time |                   Energy |
        | ----: | ---------: | -------: | -----: | -----: | -----: | -----------------------: |
        |     1 |        0.8 |      0.9 |    0.9 | 0.9100 | 700 ms | 45.0 J (40.5 J – 54.0 J) |
        |     2 |        0.2 |    0.225 |  0.225 | 0.9550 | 500 ms | 32.0 J (28.8 J – 38.4 J) |
        |     3 |     0.0889 |      0.1 |    0.1 | 0.9700 | 500 ms | 32.0 J (28.8 J – 38.4 J) |
        |     4 |       0.05 |   0.0563 | 0.0563 | 0.9775 | 500 ms | 32.0 J (28.8 J – 38.4 J) |

        Epoch energy is measured, from the same meters as the run's total, with the run's stated uncertainty band.

        ## Cost per layer

        |   # | Layer     | Output shape | Parameters | Forward FLOPs (run) | Backward FLOPs (run) | Forward FLOPs/sample | Share of FLOPs |
        | --: | --------- | ------------ | ---------: | ------------------: | -------------------: | -------------------: | -------------: |
        |   0 | dense1    | 100          |        200 |           1,200,000 |            2,400,000 |                  300 |          52.9% |
        |   1 | tanh      | 100          |          0 |             400,000 |              400,000 |                  100 |          11.8% |
        |   2 | dense2    | 1            |        101 |             804,000 |            1,604,000 |                  201 |          35.4% |
        |     | **Total** |              |    **301** |       **2,404,000** |        **4,404,000** |              **601** |     **100.0%** |

        FLOPs of the run's training steps, all epochs together; the share is of forward plus backward FLOPs. Per sample divides by the 4,000 training samples the epochs processed.

        ## Efficiency

        | Measure                     |                             Value |
        | --------------------------- | --------------------------------: |
        | Throughput (compute phases) |                     0.396 GFLOP/s |
        | Throughput (wall time)      |                     0.317 GFLOP/s |
        | GFLOP per joule             | 0.00528 GFLOP/J (measured energy) |
        | Energy per training sample  |                37.5 mJ (measured) |
        | R² per kJ                   |                       6.52 per kJ |

        Per-joule figures use the machine's whole energy over the run, not only this process's share.

        ## Prediction and outcome

        Predicted after epoch 2 of 4 (mean of epochs 1–2, ±2σ).

        | Quantity        |    Predicted |                      Range |       Actual | Outcome                  |
        | --------------- | -----------: | -------------------------: | -----------: | ------------------------ |
        | Time (epochs)   |       2.00 s |            1.80 s – 2.30 s |       2.20 s | within the range         |
        | Energy (epochs) |        120 J |              100 J – 140 J |        141 J | above the range (+17.5%) |
        | CO2e            | 1.60 mg CO2e | 800 µg CO2e – 3.20 mg CO2e | 1.83 mg CO2e | within the range         |

        Time and energy compare the sum over epochs, as predicted; CO2e compares the whole run's.

        """#
}
