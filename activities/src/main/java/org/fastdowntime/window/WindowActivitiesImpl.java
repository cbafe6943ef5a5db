package org.fastdowntime.window;

import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.activity.Heartbeats;
import org.fastdowntime.announce.Announcer;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.env.Hook;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.ports.WindowActivities;

/** Announcements (the log and the configured channels), background-job hooks and post-checks. */
public final class WindowActivitiesImpl implements WindowActivities {
    private final Environments environments;
    private final Announcer announcer;
    private final HookRunner hooks = new HookRunner();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public WindowActivitiesImpl(Environments environments, Announcer announcer) {
        this.environments = environments;
        this.announcer = announcer;
    }

    @Override
    public void announce(Announcement a) {
        environments.get(a.environment());
        Heartbeats.during(() -> {
            try {
                announcer.announce(a);
                return null;
            } catch (Announcer.NotDelivered e) {
                // Retryable: Temporal tries again (for the failed channels only), the workflow goes on
                // without waiting.
                throw ApplicationFailure.newFailure(e.getMessage(), "ANNOUNCEMENT_FAILED");
            }
        });
    }

    @Override
    public List<String> quiesce(String environment) {
        return Heartbeats.during(() -> runAll(environments.get(environment).quiesce(), "no quiesce hook configured"));
    }

    @Override
    public List<String> resume(String environment) {
        return Heartbeats.during(() -> runAll(environments.get(environment).resume(), "no resume hook configured"));
    }

    private List<String> runAll(List<Hook> list, String none) {
        if (list.isEmpty()) {
            return List.of(none);
        }
        List<String> out = new ArrayList<>();
        for (Hook h : list) {
            out.add(hooks.run(h));
        }
        return out;
    }

    @Override
    public List<String> postChecks(String environment) {
        return Heartbeats.during(() -> checks(environment));
    }

    private List<String> checks(String environment) {
        EnvironmentSettings env = environments.get(environment);
        org.fastdowntime.gate.FailPoints.reach(org.fastdowntime.gate.FailPoints.POST_CHECKS);
        List<String> out = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String url : env.checkUrls()) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                (r.statusCode() / 100 == 2 ? out : failed).add(url + " answered " + r.statusCode());
            } catch (Exception e) {
                failed.add(url + ": " + e.getMessage());
            }
        }
        if (env.checkSql() != null && !env.checkSql().isBlank()) {
            try (Connection c = Environments.connect(env, "fastdowntime post-check");
                    Statement st = c.createStatement()) {
                st.execute(env.checkSql());
                out.add("smoke query succeeded");
            } catch (Exception e) {
                failed.add("smoke query failed: " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw ApplicationFailure.newFailure(String.join("; ", failed), FailureType.POST_CHECK_FAILED.name());
        }
        if (out.isEmpty()) {
            out.add("no post-check configured");
        }
        return out;
    }
}
