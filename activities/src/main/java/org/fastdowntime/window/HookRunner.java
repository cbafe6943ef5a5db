package org.fastdowntime.window;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.env.Hook;

/**
 * Runs one quiesce/resume hook: a command (no shell) that must exit 0, or an HTTP call that must
 * answer 2xx.
 */
public final class HookRunner {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public String run(Hook hook) {
        try {
            return hook.url() != null ? call(hook) : exec(hook);
        } catch (IOException e) {
            throw ApplicationFailure.newFailure(hook.describe() + " failed: " + e.getMessage(), "HOOK_FAILED");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure(hook.describe() + " interrupted", "HOOK_FAILED");
        }
    }

    private String call(Hook hook) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(hook.url()))
                        .timeout(hook.timeout())
                        .method(hook.method(), HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw ApplicationFailure.newFailure(hook.describe() + " answered " + r.statusCode(), "HOOK_FAILED");
        }
        return hook.describe() + ": " + r.statusCode();
    }

    private String exec(Hook hook) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(hook.command()).redirectErrorStream(true).start();
        if (!p.waitFor(hook.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw ApplicationFailure.newFailure(
                    hook.describe() + " did not finish within " + hook.timeout(), "HOOK_FAILED");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw ApplicationFailure.newFailure(
                    hook.describe() + " exited " + p.exitValue() + ": " + out, "HOOK_FAILED");
        }
        return hook.describe()
                + ": ok"
                + (out.isEmpty() ? "" : " (" + out.lines().reduce((a, b) -> b).orElse("") + ")");
    }
}
