package org.fastdowntime.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.StandbySettings;
import org.fastdowntime.model.StandbyCatchUp;
import org.fastdowntime.pgbouncer.LocalPgBouncer;
import org.fastdowntime.pgbouncer.PgBouncerSettings;
import org.fastdowntime.sandbox.ThrowawayCluster;

/**
 * The downtime benchmark's standbys ({@code --standbys N}): N streaming replicas of its cluster (pg_basebackup once
 * every database is loaded), each with a pgbouncer of its own, named s1…sN; and, for each repeat, readers on every
 * standby through the whole window: on new direct connections, and through its pgbouncer on new connections and in
 * one session, plus one reader that fails over from standby to standby (how long no standby could serve).
 */
public final class BenchStandbys implements AutoCloseable {
    /** The table the readers read: the one the demo's patches alter. */
    static final String TABLE = "bug";

    private final List<ThrowawayCluster> standbys = new ArrayList<>();
    private final List<LocalPgBouncer> pools = new ArrayList<>();

    /** What the standbys saw in one repeat. */
    record Figures(List<Standby> standbys, double unservedMs) {}

    /** One standby's figures: its readers' and its catch-up (seconds; null if it did not catch up). */
    record Standby(
            String name,
            int refusedDirect,
            int refusedPooled,
            int failed,
            double longestStallMs,
            Double catchUpSeconds,
            String catchUpState) {}

    /** N standbys of {@code primary}, named s1…sN, each with a pgbouncer serving {@code databases}. */
    public static BenchStandbys start(ThrowawayCluster primary, int n, List<String> databases) throws Exception {
        BenchStandbys b = new BenchStandbys();
        try {
            for (int i = 1; i <= n; i++) {
                ThrowawayCluster s = primary.standby("s" + i);
                b.standbys.add(s);
                Map<String, String> dbs = new LinkedHashMap<>();
                databases.forEach(db -> dbs.put(db, "host=127.0.0.1 port=" + s.port() + " dbname=" + db));
                b.pools.add(LocalPgBouncer.start(dbs, List.of("postgres"), 4));
            }
            return b;
        } catch (Exception e) {
            b.close();
            throw e;
        }
    }

    /** The standbys of the environment on database {@code db}: each reachable, with its pgbouncer. */
    public StandbySettings settings(String db) {
        List<StandbySettings.Standby> named = new ArrayList<>();
        for (int i = 0; i < standbys.size(); i++) {
            named.add(new StandbySettings.Standby(
                    "s" + (i + 1),
                    standbys.get(i).url(db).replaceAll("\\?.*$", ""),
                    new PgBouncerSettings(
                            "127.0.0.1",
                            pools.get(i).port(),
                            pools.get(i).adminUser(),
                            null,
                            List.of(db),
                            Duration.ofSeconds(5))));
        }
        return new StandbySettings(named, named.size());
    }

    /** Standby {@code i} (from 0). */
    public ThrowawayCluster standby(int i) {
        return standbys.get(i);
    }

    /** The pgbouncer in front of standby {@code i}. */
    public LocalPgBouncer pool(int i) {
        return pools.get(i);
    }

    /** Readers on every standby's copy of {@code db}, reading until {@link Readers#figures} stops them. */
    Readers readers(String db) {
        return new Readers(db);
    }

    final class Readers implements AutoCloseable {
        private final List<List<StandbyReader>> perStandby = new ArrayList<>();
        private final StandbyReader failover;

        private Readers(String db) {
            List<String> direct = new ArrayList<>();
            for (int i = 0; i < standbys.size(); i++) {
                String name = "s" + (i + 1);
                String url = standbys.get(i).url(db);
                String pooled = pools.get(i).url(db, "postgres");
                direct.add(url);
                perStandby.add(List.of(
                        StandbyReader.start(name + " direct", false, List.of(url), TABLE),
                        StandbyReader.start(name + " via pgbouncer", false, List.of(pooled), TABLE),
                        StandbyReader.start(name + " session via pgbouncer", true, List.of(pooled), TABLE)));
            }
            failover = StandbyReader.start("any standby", false, direct, TABLE);
        }

        /** Stops the readers and joins what they saw to each standby's catch-up as the window reported it. */
        Figures figures(List<StandbyCatchUp> caughtUp) throws InterruptedException {
            List<Standby> out = new ArrayList<>();
            for (int i = 0; i < perStandby.size(); i++) {
                String name = "s" + (i + 1);
                int refusedDirect = 0;
                int refusedPooled = 0;
                int failed = 0;
                double longest = 0;
                for (StandbyReader r : perStandby.get(i)) {
                    StandbyReader.Figures f = r.figures();
                    if (f.name().contains("pgbouncer")) {
                        refusedPooled += f.refused();
                    } else {
                        refusedDirect += f.refused();
                    }
                    failed += f.failed() - f.refused();
                    longest = Math.max(longest, f.longestMs());
                }
                StandbyCatchUp c = caughtUp.stream()
                        .filter(x -> x.name().equals(name))
                        .findFirst()
                        .orElse(null);
                out.add(new Standby(
                        name,
                        refusedDirect,
                        refusedPooled,
                        failed,
                        longest,
                        c == null ? null : c.seconds(),
                        c == null ? "-" : c.state()));
            }
            return new Figures(out, failover.figures().unservedMs());
        }

        @Override
        public void close() throws InterruptedException {
            for (List<StandbyReader> rs : perStandby) {
                for (StandbyReader r : rs) {
                    r.close();
                }
            }
            failover.close();
        }
    }

    @Override
    public void close() {
        pools.forEach(LocalPgBouncer::close);
        standbys.forEach(ThrowawayCluster::close);
    }
}
