package org.fastdowntime.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;

/**
 * One Prometheus registry per worker: Temporal's SDK metrics (through its Micrometer reporter) and
 * the project's own (emitted by workflows through the same Tally scope, and by activities
 * directly).
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Scope scope;

    public Metrics(Duration reportEvery) {
        // Prometheus needs one set of tag keys per meter name. The SDK tags an update's request (the approval
        // ledger's, made from an activity) with update_name, which its long polls of the same meter do not have:
        // that one tag is left out, so the update's latency is kept under the same keys as the rest.
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.ignoreTags("update_name"));
        scope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofMillis(reportEvery.toMillis()));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * For {@code WorkflowServiceStubsOptions.setMetricsScope} or {@code
     * TestEnvironmentOptions.setMetricsScope}.
     */
    public Scope scope() {
        return scope;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        try {
            scope.close();
        } catch (Exception e) {
            // the reporter flushes on close; nothing else to do
        }
        registry.close();
    }
}
