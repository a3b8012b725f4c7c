import Prometheus

/// The names and help texts of the series ``RunMetrics`` exports: base units in the names
/// (joules, watts, grams), `_total` on counters, as Prometheus's naming guide asks.
enum PrometheusName {
    // Computed: the descriptor type is not Sendable, so it cannot be a shared constant.
    static var energyJoules: MetricNameDescriptor {
        descriptor(
            "energy", unit: "joules_total",
            help: "Energy of one meter zone counted in the run's total since the run started, joules; sum by run for the run's total.")
    }
    static var powerWatts: MetricNameDescriptor {
        descriptor("power", unit: "watts", help: "Latest power sample of one meter zone counted in the run's total, watts.")
    }
    static var co2eGrams: MetricNameDescriptor {
        descriptor(
            "co2e", unit: "grams_total",
            help: "CO2e of the run so far (energy times grid intensity and PUE, plus the embodied share), grams.")
    }
    static var flops: MetricNameDescriptor {
        descriptor("flops", unit: "total", help: "Floating-point operations of the epochs finished so far.")
    }
    static var epoch: MetricNameDescriptor { descriptor("epoch", unit: "", help: "Epochs finished so far.") }
    static var runInfo: MetricNameDescriptor {
        descriptor("run", unit: "info", help: "Always 1; its labels name the run, model, dataset and how its energy was obtained.")
    }

    private static func descriptor(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "footprint", metricName: name, unitName: unit, helpText: help)
    }
}
