package org.fastdowntime.env;

import java.time.Duration;
import java.util.List;

/**
 * A quiesce/resume step: a command (argv, no shell) or an HTTP call. Exactly one of {@code command}
 * and {@code url}.
 */
public record Hook(List<String> command, String url, String method, Duration timeout) {
    public Hook {
        command = command == null ? List.of() : List.copyOf(command);
        method = method == null ? "POST" : method;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    public String describe() {
        return url != null ? method + " " + url : String.join(" ", command);
    }
}
