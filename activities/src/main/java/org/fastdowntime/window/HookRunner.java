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

    /**
     * What a command hook inherits of the worker's environment: where programs are and the locale, never the
     * worker's secrets (database passwords, the Temporal API key) or anything else.
     */
    static final java.util.Set<String> INHERITED =
            java.util.Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "USER", "LOGNAME", "SHELL", "TMPDIR");

    private String exec(Hook hook) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(hook.command());
        pb.environment().keySet().removeIf(k -> !INHERITED.contains(k) && !k.startsWith("LC_"));
        // Its output goes to a file, never a pipe that a chatty hook could fill and block on.
        java.nio.file.Path out = java.nio.file.Files.createTempFile("fastdowntime-hook-", ".log");
        try {
            Process p =
                    pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(hook.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw ApplicationFailure.newFailure(
                        hook.describe() + " did not finish within " + hook.timeout(), "HOOK_FAILED");
            }
            String said = tail(out);
            if (p.exitValue() != 0) {
                throw ApplicationFailure.newFailure(
                        hook.describe() + " exited " + p.exitValue() + ": " + said, "HOOK_FAILED");
            }
            return hook.describe()
                    + ": ok"
                    + (said.isEmpty()
                            ? ""
                            : " (" + said.lines().reduce((a, b) -> b).orElse("") + ")");
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }

    /** The end of what a hook said, at most 500 characters. */
    private static String tail(java.nio.file.Path out) throws IOException {
        long size = java.nio.file.Files.size(out);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(out.toFile(), "r")) {
            long from = Math.max(0, size - 500);
            f.seek(from);
            byte[] bytes = new byte[(int) (size - from)];
            f.readFully(bytes);
            String s = new String(bytes, StandardCharsets.UTF_8).strip();
            return from > 0 ? "…" + s : s;
        }
    }
}
