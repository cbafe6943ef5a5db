package org.fastdowntime.announce;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.Announcement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an announcement to every channel of its environment, each once. A delivery that succeeded
 * is never made again for the same key; one still in flight (an attempt Temporal gave up on while
 * its POST was still under way) is joined by the retry instead of being repeated. Failing channels
 * are named in the exception, so the activity is retried for them alone and the failure is visible
 * in the window's status.
 */
public final class Announcer {
    private static final Logger log = LoggerFactory.getLogger("fastdowntime.announcements");
    private static final int REMEMBERED = 10_000;

    private final Map<String, List<Channel>> channels;
    private final MeterRegistry metrics;
    private final Duration wait;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "announce");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Void>> deliveries = new ConcurrentHashMap<>();

    /**
     * @param wait how long one attempt waits for a channel before reporting it as not delivered (the
     *     delivery goes on, and the retry joins it)
     */
    public Announcer(Map<String, List<Channel>> channels, MeterRegistry metrics, Duration wait) {
        this.channels = Map.copyOf(channels);
        this.metrics = metrics;
        this.wait = wait;
    }

    /** The channels configured for each environment. */
    public static Announcer of(
            Map<String, EnvironmentSettings> environments,
            Map<String, AnnounceSettings> settings,
            MeterRegistry metrics) {
        Map<String, List<Channel>> byEnv = new LinkedHashMap<>();
        environments.forEach((name, env) -> {
            AnnounceSettings s = settings.getOrDefault(name, AnnounceSettings.logOnly());
            List<Channel> list = new ArrayList<>();
            s.webhooks().forEach(w -> list.add(new WebhookChannel(w)));
            if (s.email() != null) {
                list.add(new EmailChannel(s.email()));
            }
            if (s.feed()) {
                list.add(FeedStore.channel(env));
            }
            byEnv.put(name, list);
        });
        return new Announcer(byEnv, metrics == null ? new SimpleMeterRegistry() : metrics, Duration.ofSeconds(30));
    }

    public List<String> channelNames(String environment) {
        return channels.getOrDefault(environment, List.of()).stream()
                .map(Channel::name)
                .toList();
    }

    /** Delivers to every channel; throws {@link NotDelivered} naming the channels that failed. */
    public void announce(Announcement a) throws NotDelivered {
        log.info("[{}] {}: {}", a.environment(), a.event(), a.text());
        List<String> failed = new ArrayList<>();
        List<Channel> list = channels.getOrDefault(a.environment(), List.of());
        for (int i = 0; i < list.size(); i++) {
            Channel c = list.get(i);
            // Names hide secrets (two webhooks may both read "webhook https://host/…"): a channel is its
            // place in the list.
            String id = a.environment() + "#" + i + "\u0000" + a.key();
            CompletableFuture<Void> f = deliveries.computeIfAbsent(
                    id,
                    k -> CompletableFuture.runAsync(
                            () -> {
                                try {
                                    c.deliver(a);
                                    count(c, "delivered");
                                } catch (Exception e) {
                                    count(c, "failed");
                                    throw new java.util.concurrent.CompletionException(e);
                                }
                            },
                            pool));
            try {
                f.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                deliveries.remove(id, f); // not delivered: the next attempt tries again
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failed.add(c.name() + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } catch (TimeoutException e) {
                failed.add(c.name() + ": no answer within " + wait.toMillis() + " ms (still trying)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(c.name() + ": interrupted");
            }
        }
        forgetOld();
        if (!failed.isEmpty()) {
            log.warn("[{}] {} not delivered to {}", a.environment(), a.event(), failed);
            throw new NotDelivered("'" + a.event() + "' not delivered to " + String.join("; ", failed));
        }
    }

    private void count(Channel c, String outcome) {
        metrics.counter("fastdowntime_announcements", "channel", kind(c), "outcome", outcome)
                .increment();
    }

    private static String kind(Channel c) {
        return c.name()
                .substring(
                        0,
                        c.name().indexOf(' ') < 0 ? c.name().length() : c.name().indexOf(' '));
    }

    private void forgetOld() {
        if (deliveries.size() > REMEMBERED) {
            deliveries.entrySet().removeIf(e -> e.getValue().isDone());
        }
    }

    /** Some channel did not get the announcement. */
    public static final class NotDelivered extends Exception {
        public NotDelivered(String message) {
            super(message);
        }
    }
}
