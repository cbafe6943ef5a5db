package org.fastdowntime.announce;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.fastdowntime.model.Announcement;

/**
 * Email over SMTP (Jakarta Mail): STARTTLS required, implicit TLS or plain, with authentication
 * when a username is configured. The Message-ID is derived from the announcement's key, so a repeat
 * is recognisably the same message.
 */
public final class EmailChannel implements Channel {
    private final AnnounceSettings.Email settings;
    private final Session session;

    public EmailChannel(AnnounceSettings.Email settings) {
        this.settings = settings;
        Properties p = new Properties();
        String proto = "tls".equalsIgnoreCase(settings.security()) ? "smtps" : "smtp";
        long timeout = (settings.timeout() == null ? Duration.ofSeconds(20) : settings.timeout()).toMillis();
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", settings.host());
        p.put("mail." + proto + ".port", String.valueOf(settings.port()));
        p.put("mail." + proto + ".connectiontimeout", String.valueOf(timeout));
        p.put("mail." + proto + ".timeout", String.valueOf(timeout));
        p.put("mail." + proto + ".writetimeout", String.valueOf(timeout));
        if ("starttls".equalsIgnoreCase(settings.security())) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if ("tls".equalsIgnoreCase(settings.security())) {
            p.put("mail.smtps.ssl.checkserveridentity", "true");
        }
        Authenticator auth = null;
        if (settings.username() != null) {
            p.put("mail." + proto + ".auth", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(settings.username(), settings.password());
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    @Override
    public String name() {
        return "email " + String.join(",", settings.to());
    }

    @Override
    public void deliver(Announcement a) throws MessagingException {
        String id = "<" + digest(a.key()) + "@fastdowntime>";
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        m.setFrom(new InternetAddress(settings.from()));
        for (String to : settings.to()) {
            m.addRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(to));
        }
        m.setSubject("[fastdowntime] " + a.environment() + ": " + a.event(), "UTF-8");
        StringBuilder body = new StringBuilder(a.text()).append("\n\n");
        for (Map.Entry<String, String> f : a.fields().entrySet()) {
            body.append(f.getKey()).append(": ").append(f.getValue()).append('\n');
        }
        body.append("workflow: ").append(a.workflowId()).append('\n');
        m.setText(body.toString(), "UTF-8");
        m.setHeader("X-Fastdowntime-Key", a.key());
        m.setHeader("X-Fastdowntime-Event", a.event().toLowerCase(Locale.ROOT));
        Transport.send(m);
    }

    private static String digest(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
