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

    /**
     * The hook as the timeline, logs and failures show it, with nothing secret: a URL without its user info and
     * with its query's values hidden ({@code ?token=…}); a command with the values of secret-looking options and
     * assignments hidden ({@code --token …}, {@code password=…}, {@code Authorization: …}).
     */
    public String describe() {
        return url != null ? method + " " + shownUrl(url) : String.join(" ", shownArgv(command));
    }

    private static final java.util.regex.Pattern SECRET =
            java.util.regex.Pattern.compile("(?i).*(token|secret|passw|key|auth|cred|bearer|session).*");

    static String shownUrl(String url) {
        String s = url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@", "$1");
        int q = s.indexOf('?');
        if (q < 0) {
            return s;
        }
        int hash = s.indexOf('#', q);
        String query = s.substring(q + 1, hash < 0 ? s.length() : hash);
        List<String> shown = new java.util.ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            shown.add(eq < 0 ? pair : pair.substring(0, eq + 1) + "…");
        }
        return s.substring(0, q + 1) + String.join("&", shown);
    }

    static List<String> shownArgv(List<String> argv) {
        List<String> shown = new java.util.ArrayList<>();
        boolean hideNext = false;
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            int colon = arg.indexOf(':');
            if (hideNext) {
                shown.add("…");
                hideNext = false;
            } else if (eq > 0 && SECRET.matcher(arg.substring(0, eq)).matches()) {
                shown.add(arg.substring(0, eq + 1) + "…");
            } else if (colon > 0 && SECRET.matcher(arg.substring(0, colon)).matches()) {
                shown.add(arg.substring(0, colon + 1) + " …");
            } else if (arg.startsWith("-") && SECRET.matcher(arg).matches()) {
                shown.add(arg);
                hideNext = true;
            } else {
                shown.add(arg.contains("://") ? shownUrl(arg) : arg);
            }
        }
        return shown;
    }
}
