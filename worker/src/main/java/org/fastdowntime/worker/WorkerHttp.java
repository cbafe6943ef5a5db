package org.fastdowntime.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.concurrent.Executors;
import org.fastdowntime.announce.FeedStore;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.worker.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP endpoint: {@code /metrics} (Prometheus) and {@code /feed/ENV.atom} (the status
 * feed of an environment, read from its database). Bound to 127.0.0.1 unless configured otherwise.
 */
public final class WorkerHttp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerHttp.class);
    private static final int FEED_ENTRIES = 50;

    private final HttpServer server;

    public WorkerHttp(WorkerConfig.Http config, Metrics metrics, Environments environments) throws IOException {
        server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "worker-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(
                "/metrics", x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/feed/", x -> feed(x, environments));
        server.createContext("/", x -> {
            StringBuilder b = new StringBuilder("fastdowntime worker\n/metrics\n");
            environments
                    .all()
                    .keySet()
                    .forEach(e -> b.append("/feed/").append(e).append(".atom\n"));
            send(x, x.getRequestURI().getPath().equals("/") ? 200 : 404, "text/plain; charset=utf-8", b.toString());
        });
        server.start();
        log.info("Metrics on http://{}:{}/metrics, status feeds on /feed/ENV.atom", config.bind(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void feed(HttpExchange x, Environments environments) throws IOException {
        String path = x.getRequestURI().getPath();
        String name = path.substring("/feed/".length()).replaceFirst("\\.atom$", "");
        if (!environments.all().containsKey(name)) {
            send(
                    x,
                    404,
                    "text/plain; charset=utf-8",
                    "no environment '" + name + "'; configured: "
                            + environments.all().keySet() + "\n");
            return;
        }
        EnvironmentSettings env = environments.get(name);
        try (Connection c = Environments.connect(env, "fastdowntime-feed")) {
            String self = "http://" + x.getRequestHeaders().getFirst("Host") + path;
            send(
                    x,
                    200,
                    "application/atom+xml; charset=utf-8",
                    FeedStore.atom(name, self, FeedStore.recent(c, FEED_ENTRIES)));
        } catch (Exception e) {
            send(
                    x,
                    503,
                    "text/plain; charset=utf-8",
                    "the feed of " + name + " is unavailable: " + e.getMessage() + "\n");
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
