package org.fastdowntime.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.fastdowntime.env.Environments;
import org.fastdowntime.monthly.MonthlyActivitiesImpl;
import org.fastdowntime.outage.DatabaseActivitiesImpl;
import org.fastdowntime.outage.OutageActivitiesImpl;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.MonthlyActivities;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.window.WindowActivitiesImpl;

/** Builds the activities from the config: each adapter gets the environments it serves, nothing else. */
public final class WorkerModule extends AbstractModule {
  private final WorkerConfig config;

  public WorkerModule(WorkerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(WorkerConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  Environments environments() {
    return new Environments(config.environments());
  }

  @Provides
  @Singleton
  DatabaseActivities database(Environments e) {
    return new DatabaseActivitiesImpl(e);
  }

  @Provides
  @Singleton
  OutageActivities outage(Environments e) {
    return new OutageActivitiesImpl(e);
  }

  @Provides
  @Singleton
  MonthlyActivities monthly(Environments e) {
    return new MonthlyActivitiesImpl(e, config.monthly());
  }

  @Provides
  @Singleton
  WindowActivities window(Environments e) {
    return new WindowActivitiesImpl(e);
  }
}
