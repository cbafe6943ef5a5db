package org.fastdowntime.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.fastdowntime.announce.Announcer;
import org.fastdowntime.env.Environments;
import org.fastdowntime.fleet.FleetActivitiesImpl;
import org.fastdowntime.gate.OutageActivitiesImpl;
import org.fastdowntime.ledger.ApprovalActivitiesImpl;
import org.fastdowntime.patch.DatabaseActivitiesImpl;
import org.fastdowntime.ports.ApprovalActivities;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.FleetActivities;
import org.fastdowntime.ports.MonthlyActivities;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.release.MonthlyActivitiesImpl;
import org.fastdowntime.window.WindowActivitiesImpl;
import org.fastdowntime.worker.config.WorkerConfig;

/**
 * Builds the activities from the config: each adapter gets the environments it serves, nothing
 * else.
 */
public final class WorkerModule extends AbstractModule {
    private final WorkerConfig config;
    private final MeterRegistry metrics;

    public WorkerModule(WorkerConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    /**
     * @param metrics where the activities' own metrics go (the worker's Prometheus registry)
     */
    public WorkerModule(WorkerConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    protected void configure() {
        bind(WorkerConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    Environments environments() {
        return new Environments(config.environments(), config.fleets());
    }

    @Provides
    @Singleton
    DatabaseActivities database(Environments e) {
        return new DatabaseActivitiesImpl(e, config.monthly());
    }

    @Provides
    @Singleton
    ApprovalActivities approvals(Environments e, DatabaseActivities database) {
        return new ApprovalActivitiesImpl(e, database);
    }

    @Provides
    @Singleton
    OutageActivities outage(Environments e) {
        return new OutageActivitiesImpl(e);
    }

    @Provides
    @Singleton
    FleetActivities fleets(Environments e) {
        return new FleetActivitiesImpl(e);
    }

    @Provides
    @Singleton
    MonthlyActivities monthly(Environments e) {
        return new MonthlyActivitiesImpl(e, config.monthly());
    }

    @Provides
    @Singleton
    Announcer announcer() {
        return Announcer.of(config.environments(), config.announce(), metrics);
    }

    @Provides
    @Singleton
    WindowActivities window(Environments e, Announcer announcer) {
        return new WindowActivitiesImpl(e, announcer);
    }
}
