package org.fastdowntime.announce;

import java.time.Duration;
import java.util.List;

/**
 * Where an environment's announcements go besides the log: webhooks (Slack/Mattermost compatible),
 * email over SMTP, and the worker's Atom status feed. Secrets (the SMTP password) are resolved by
 * the config loader and hidden by {@link Email#toString()}.
 */
public record AnnounceSettings(List<Webhook> webhooks, Email email, boolean feed) {
    public AnnounceSettings {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    public static AnnounceSettings logOnly() {
        return new AnnounceSettings(List.of(), null, false);
    }

    /**
     * A JSON POST with a {@code text} field, plus structured fields and an {@code Idempotency-Key}
     * header.
     */
    public record Webhook(String url, Duration timeout) {}

    /**
     * @param security {@code starttls} (required), {@code tls} (implicit, e.g. port 465) or {@code
     *     none}
     */
    public record Email(
            String host,
            int port,
            String security,
            String username,
            String password,
            String from,
            List<String> to,
            Duration timeout) {
        public Email {
            to = to == null ? List.of() : List.copyOf(to);
        }

        @Override
        public String toString() {
            return "Email["
                    + host
                    + ":"
                    + port
                    + ", "
                    + security
                    + ", user "
                    + username
                    + ", password "
                    + (password == null ? "none" : "(hidden)")
                    + ", from "
                    + from
                    + ", to "
                    + to
                    + "]";
        }
    }
}
