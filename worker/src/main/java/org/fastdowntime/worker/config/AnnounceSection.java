package org.fastdowntime.worker.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fastdowntime.announce.AnnounceSettings;
import org.fastdowntime.worker.config.RawConfig.RawAnnounce;
import org.fastdowntime.worker.config.RawConfig.RawEmail;
import org.fastdowntime.worker.config.RawConfig.RawWebhook;

/** An environment's {@code announce:} section: webhooks, mail and the Atom feed. */
final class AnnounceSection extends Sections {
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAIL_TIMEOUT = Duration.ofSeconds(20);

    AnnounceSection(Sections shared) {
        super(shared);
    }

    AnnounceSettings read(String key, RawAnnounce a) {
        List<AnnounceSettings.Webhook> hooks = new ArrayList<>();
        List<RawWebhook> raw = a.webhooks() == null ? List.of() : a.webhooks();
        for (int i = 0; i < raw.size(); i++) {
            RawWebhook w = raw.get(i);
            String k = key + ".webhooks[" + i + "]";
            if (w == null
                    || w.url() == null
                    || !(w.url().startsWith("http://") || w.url().startsWith("https://"))) {
                problems.add(k + ".url", "required, an http:// or https:// URL");
                continue;
            }
            hooks.add(new AnnounceSettings.Webhook(w.url(), or(w.timeout(), WEBHOOK_TIMEOUT)));
        }
        AnnounceSettings.Email email = a.email() == null ? null : email(key + ".email", a.email());
        return new AnnounceSettings(hooks, email, Boolean.TRUE.equals(a.feed()));
    }

    private AnnounceSettings.Email email(String k, RawEmail m) {
        String security = or(m.security(), "starttls").toLowerCase(Locale.ROOT);
        if (!List.of("starttls", "tls", "none").contains(security)) {
            problems.add(k + ".security", "starttls, tls or none, not '" + m.security() + "'");
        }
        if (m.host() == null) {
            problems.add(k + ".host", "required");
        }
        if (m.from() == null || m.to() == null || m.to().isEmpty()) {
            problems.add(k, "from and to (a list) are required");
        }
        String password = secrets.resolve(k, "password", m.passwordEnv(), m.passwordFile());
        if (m.username() != null && password == null && m.passwordEnv() == null && m.passwordFile() == null) {
            problems.add(k, "username needs passwordEnv or passwordFile");
        }
        int port = m.port() != null ? m.port() : security.equals("tls") ? 465 : 587;
        return new AnnounceSettings.Email(
                m.host(), port, security, m.username(), password, m.from(), m.to(), or(m.timeout(), MAIL_TIMEOUT));
    }
}
