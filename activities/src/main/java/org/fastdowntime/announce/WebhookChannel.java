package org.fastdowntime.announce;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fastdowntime.activity.Json;
import org.fastdowntime.model.Announcement;

/**
 * A JSON POST: {@code text} (what Slack and Mattermost show) and the structured fields — event,
 * environment, workflowId, key, fields. The {@code Idempotency-Key} header carries the
 * announcement's key so a receiver can drop a repeat that a worker crash between delivery and
 * acknowledgement would cause.
 */
public final class WebhookChannel implements Channel {
    private final AnnounceSettings.Webhook settings;
    private final HttpClient http;

    public WebhookChannel(AnnounceSettings.Webhook settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(timeout()).build();
    }

    private Duration timeout() {
        return settings.timeout() == null ? Duration.ofSeconds(10) : settings.timeout();
    }

    /**
     * Webhook URLs carry their token in the path or query: only the scheme and host are ever shown.
     */
    @Override
    public String name() {
        URI u = URI.create(settings.url());
        boolean more = (u.getRawPath() != null && u.getRawPath().length() > 1) || u.getRawQuery() != null;
        return "webhook " + u.getScheme() + "://" + u.getRawAuthority().replaceAll("^.*@", "") + (more ? "/…" : "");
    }

    static Map<String, Object> body(Announcement a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "[" + a.environment() + "] " + a.text());
        body.put("event", a.event());
        body.put("environment", a.environment());
        body.put("workflowId", a.workflowId());
        body.put("key", a.key());
        body.put("fields", a.fields());
        return body;
    }

    @Override
    public void deliver(Announcement a) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url()))
                .timeout(timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", a.key())
                .POST(HttpRequest.BodyPublishers.ofString(Json.compact(body(a))))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            String text = r.body() == null ? "" : r.body().strip();
            throw new IOException("HTTP " + r.statusCode() + (text.isEmpty() ? "" : ": " + abbreviate(text)));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
