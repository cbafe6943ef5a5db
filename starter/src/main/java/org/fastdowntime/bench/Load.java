package org.fastdowntime.bench;

import org.fastdowntime.sandbox.LoadClients;

/** The load of one repeat: the project's client threads or pgbench, and what its clients saw. */
interface Load extends AutoCloseable {
    /** What clients saw; -1 where a load does not measure a figure (pgbench: stall, p99). */
    record Figures(long attempted, long failed, long aborted, double longestStallMs, double p99Ms) {}

    /** No clients at all (the warm-up window). */
    Load NONE = new Load() {
        @Override
        public Figures figures(long from, long to) {
            return new Figures(0, 0, 0, -1, -1);
        }

        @Override
        public void close() {}
    };

    /** Stops it (or waits for its end) and says what clients saw in [from, to] (pgbench: its whole run). */
    Figures figures(long from, long to) throws Exception;

    /** Starts the load the options ask for against {@code at}. */
    static Load start(DowntimeOptions o, BenchWorld world, BenchWorld.Endpoint at) throws Exception {
        if (o.load == DowntimeOptions.LoadKind.PGBENCH) {
            PgbenchLoad p = PgbenchLoad.start(
                    world.cluster().binaries().bin(),
                    at.host(),
                    at.port(),
                    at.database(),
                    at.user(),
                    o.clients,
                    o.seconds);
            world.pinDatabase(p.pid());
            return new Load() {
                @Override
                public Figures figures(long from, long to) throws Exception {
                    PgbenchLoad.Result r = p.await();
                    return new Figures(r.processed() + r.failed(), r.failed(), r.abortedClients(), -1, -1);
                }

                @Override
                public void close() throws Exception {
                    p.close();
                }
            };
        }
        LoadClients threads = new LoadClients(at.jdbcUrl(), o.clients);
        threads.start();
        return new Load() {
            @Override
            public Figures figures(long from, long to) throws Exception {
                threads.stop();
                LoadClients.Window w = threads.window(from, to);
                return new Figures(w.attempted(), w.failed(), 0, w.longestStallMillis(), w.p99Millis());
            }

            @Override
            public void close() throws Exception {
                threads.close();
            }
        };
    }
}
