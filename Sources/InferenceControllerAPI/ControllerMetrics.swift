import Foundation
import InferenceModel
import InferenceRuntime
import Prometheus

/// The controller's Prometheus metrics. Counters and histograms are fed as things happen (the
/// controller's reconciles, readiness, probes); per-instance gauges are set from the live
/// statuses at each scrape, so they are never staler than the scrape, and an instance that is
/// gone loses its series. Every label value is an instance name or an enum's raw value.
public final class ControllerMetrics: ControllerMetricsSink, @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()

    private let reconcileDuration: DurationHistogram
    private let reconcileTotals: [ReconcileResult: Counter]
    private let queueDepth: Gauge
    private let lock = NSLock()
    // Guarded by `lock`.
    private var perInstance: [String: InstanceSeries] = [:]
    private var readyDurations: [String: DurationHistogram] = [:]
    private var probeDurations: [ProbeResult: DurationHistogram] = [:]

    static let reconcileBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50),
                                               .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
                                               .seconds(30), .seconds(120), .seconds(600)]
    static let readyBuckets: [Duration] = [.milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                           .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
                                           .seconds(120), .seconds(300), .seconds(600)]
    static let probeBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                           .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                           .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)]

    public init() {
        reconcileDuration = registry.makeDurationHistogram(
            descriptor: Self.name("inferctl_reconcile_duration_seconds", "Time to reconcile one instance (key), readiness waits included."),
            buckets: Self.reconcileBuckets)
        var totals: [ReconcileResult: Counter] = [:]
        for result in ReconcileResult.allCases {
            totals[result] = registry.makeCounter(
                descriptor: Self.name("inferctl_reconcile_total", "Reconciles of one instance (key), by how they ended."),
                labels: [("result", result.rawValue)])
        }
        reconcileTotals = totals
        queueDepth = registry.makeGauge(descriptor: Self.name("inferctl_workqueue_depth", "Keys waiting in the controller's work queue."))
    }

    // MARK: ControllerMetricsSink

    public func reconciled(_ instance: String, result: ReconcileResult, failure: ConditionReason?, duration: Duration) {
        reconcileTotals[result]?.increment()
        reconcileDuration.record(duration)
        if let failure {
            registry.makeCounter(descriptor: Self.name("inferctl_reconcile_errors_total", "Failed reconciles, by condition reason."),
                                 labels: [("reason", failure.rawValue)]).increment()
        }
    }

    public func becameReady(_ instance: String, after duration: Duration) {
        let histogram = lock.withLock { () -> DurationHistogram in
            if let existing = readyDurations[instance] { return existing }
            let made = registry.makeDurationHistogram(
                descriptor: Self.name("inferctl_instance_ready_duration_seconds", "Time from a start (spawn, restart, replace, attach) to ready."),
                labels: [("instance", instance)], buckets: Self.readyBuckets)
            readyDurations[instance] = made
            return made
        }
        histogram.record(duration)
    }

    // MARK: Probes

    public enum ProbeResult: String, Sendable, CaseIterable {
        /// The server sent an HTTP answer (whatever its status).
        case answered
        /// No answer: refused, timed out, reset.
        case unreachable
    }

    /// One readiness or health probe, by whether it got an answer.
    public func probed(_ result: ProbeResult, duration: Duration) {
        let histogram = lock.withLock { () -> DurationHistogram in
            if let existing = probeDurations[result] { return existing }
            let made = registry.makeDurationHistogram(
                descriptor: Self.name("inferctl_probe_duration_seconds", "Readiness and health probe latency, by whether the server answered."),
                labels: [("result", result.rawValue)], buckets: Self.probeBuckets)
            probeDurations[result] = made
            return made
        }
        histogram.record(duration)
    }

    // MARK: Scrape

    /// Sets the per-instance gauges from `statuses` and the queue depth, then renders every metric.
    public func exposition(statuses: [InstanceStatus], queueDepth depth: Int) -> String {
        queueDepth.set(to: Double(depth))
        lock.withLock {
            let present = Set(statuses.map(\.name))
            for (name, series) in perInstance where !present.contains(name) {
                series.unregister(from: registry)
                perInstance.removeValue(forKey: name)
            }
            for (name, histogram) in readyDurations where !present.contains(name) {
                registry.unregisterDurationHistogram(histogram)
                readyDurations.removeValue(forKey: name)
            }
            for status in statuses {
                let series = perInstance[status.name] ?? InstanceSeries(instance: status.name, registry: registry)
                series.update(from: status)
                perInstance[status.name] = series
            }
        }
        return registry.emitToString()
    }

    static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

/// One instance's gauges and restart counter.
final class InstanceSeries: @unchecked Sendable {
    let up: Gauge
    let ready: Gauge
    let health: [HealthStatus: Gauge]
    let restarts: Counter
    private var countedRestarts = 0

    init(instance: String, registry: PrometheusCollectorRegistry) {
        let label = [("instance", instance)]
        up = registry.makeGauge(descriptor: ControllerMetrics.name(
            "inferctl_instance_up", "1 while the instance's server runs (Starting or Ready), else 0."), labels: label)
        ready = registry.makeGauge(descriptor: ControllerMetrics.name(
            "inferctl_instance_ready", "1 while the instance is Ready, else 0."), labels: label)
        var health: [HealthStatus: Gauge] = [:]
        for status in HealthStatus.allCases {
            health[status] = registry.makeGauge(descriptor: ControllerMetrics.name(
                "inferctl_instance_health", "1 for the instance's current health status, 0 for the others."),
                labels: label + [("status", status.rawValue)])
        }
        self.health = health
        restarts = registry.makeCounter(descriptor: ControllerMetrics.name(
            "inferctl_instance_restarts_total", "Restarts of the instance's server, as recorded."), labels: label)
    }

    func update(from status: InstanceStatus) {
        up.set(to: status.phase == .starting || status.phase == .ready ? 1.0 : 0.0)
        ready.set(to: status.phase == .ready ? 1.0 : 0.0)
        for (value, gauge) in health { gauge.set(to: value == status.health ? 1.0 : 0.0) }
        // The record's count only grows, unless the record was made anew: then the counter resets.
        if status.restarts < countedRestarts {
            restarts.reset()
            countedRestarts = 0
        }
        if status.restarts > countedRestarts {
            restarts.increment(by: Int64(status.restarts - countedRestarts))
            countedRestarts = status.restarts
        }
    }

    func unregister(from registry: PrometheusCollectorRegistry) {
        registry.unregisterGauge(up)
        registry.unregisterGauge(ready)
        health.values.forEach(registry.unregisterGauge)
        registry.unregisterCounter(restarts)
    }
}
