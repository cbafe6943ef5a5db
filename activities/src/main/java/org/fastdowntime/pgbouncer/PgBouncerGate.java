package org.fastdowntime.pgbouncer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fastdowntime.outage.ConnectionGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooler's gate: {@code PAUSE db} lets running transactions finish and holds every new one until RESUME, so
 * clients of a short outage see a stall, not an error. If transactions still run when the bounded wait runs out, it
 * falls back to Launchpad's way, {@code DISABLE} + {@code KILL}. The database's native gate is closed too, so
 * clients that bypass the pooler cannot slip in. Opening: native gate, then {@code RESUME} + {@code ENABLE} — both
 * idempotent.
 */
public final class PgBouncerGate implements ConnectionGate {
  private static final Logger log = LoggerFactory.getLogger(PgBouncerGate.class);

  private final PgBouncerSettings settings;
  private final PgBouncerAdmin admin;
  private final ConnectionGate direct;

  public PgBouncerGate(PgBouncerSettings settings, ConnectionGate direct) {
    this.settings = settings;
    this.admin = new PgBouncerAdmin(settings);
    this.direct = direct;
  }

  @Override
  public String name() {
    return "pgbouncer";
  }

  @Override
  public String close() throws Exception {
    List<String> said = new ArrayList<>();
    List<PgBouncerAdmin.Running> pauses = new ArrayList<>();
    for (String db : settings.databases()) {
      pauses.add(admin.start("PAUSE " + db));
    }
    long deadline = System.nanoTime() + settings.pauseTimeout().toNanos();
    for (int i = 0; i < pauses.size(); i++) {
      String db = settings.databases().get(i);
      PgBouncerAdmin.Running pause = pauses.get(i);
      long left = Math.max(0, deadline - System.nanoTime());
      if (pause.await(java.time.Duration.ofNanos(left))) {
        said.add("PAUSE " + db);
        continue;
      }
      log.warn("PAUSE {} still waits for transactions after {}: DISABLE + KILL", db, settings.pauseTimeout());
      admin.run("DISABLE " + db);
      admin.run("KILL " + db);
      if (!pause.await(java.time.Duration.ofSeconds(5))) {
        pause.kill();
      }
      said.add("PAUSE " + db + " did not finish within " + settings.pauseTimeout().toMillis()
          + " ms: fell back to DISABLE + KILL");
    }
    said.add(direct.close());
    return String.join("; ", said);
  }

  @Override
  public void open() throws Exception {
    Exception first = null;
    try {
      direct.open();
    } catch (Exception e) {
      first = e;
    }
    for (String db : settings.databases()) {
      try {
        resume(db);
        admin.run("ENABLE " + db);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void resume(String db) throws IOException, InterruptedException {
    try {
      admin.run("RESUME " + db);
    } catch (IOException e) {
      if (!e.getMessage().contains("not paused")) {
        throw e;
      }
    }
  }

  /** For preflight: each configured database is known to pgbouncer, neither paused nor disabled. */
  public String check() throws IOException, InterruptedException {
    List<Map<String, String>> dbs = admin.show("DATABASES");
    List<Map<String, String>> pools = admin.show("POOLS");
    List<String> out = new ArrayList<>();
    for (String db : settings.databases()) {
      Map<String, String> row = dbs.stream().filter(r -> db.equals(r.get("name"))).findFirst().orElseThrow(() ->
          new IOException("pgbouncer " + settings.host() + ":" + settings.port() + " has no database " + db));
      if (!"0".equals(row.get("paused")) || !"0".equals(row.get("disabled"))) {
        throw new IOException("pgbouncer database " + db + " is already paused or disabled (paused="
            + row.get("paused") + ", disabled=" + row.get("disabled") + ")");
      }
      long active = 0;
      long waiting = 0;
      for (Map<String, String> p : pools) {
        if (db.equals(p.get("database"))) {
          active += Long.parseLong(p.getOrDefault("cl_active", "0"));
          waiting += Long.parseLong(p.getOrDefault("cl_waiting", "0"));
        }
      }
      out.add(db + ": " + active + " client(s) active, " + waiting + " waiting");
    }
    return "pgbouncer " + String.join("; ", out);
  }
}
