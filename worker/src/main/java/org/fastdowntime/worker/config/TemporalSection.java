package org.fastdowntime.worker.config;

import org.fastdowntime.worker.TemporalSettings;
import org.fastdowntime.worker.config.RawConfig.RawTemporal;
import org.fastdowntime.worker.config.RawConfig.RawTls;

/**
 * The {@code temporal:} section: one layer of the connection (see {@link TemporalSettings}); every value names
 * its key and this file, so a bad one is reported where it was written.
 */
final class TemporalSection extends Sections {
    TemporalSection(Sections shared) {
        super(shared);
    }

    TemporalSettings read(RawTemporal t) {
        if (t == null) {
            return TemporalSettings.NONE;
        }
        String in = " in " + file;
        TemporalSettings.Builder b = TemporalSettings.builder("temporal" + in)
                .target(t.target(), "temporal.target" + in)
                .namespace(t.namespace(), "temporal.namespace" + in)
                .taskQueue(t.taskQueue(), "temporal.taskQueue" + in)
                .httpTarget(t.httpTarget(), "temporal.httpTarget" + in);
        if (t.apiKey() != null) {
            problems.add(
                    "temporal.apiKey",
                    "an API key is never written in this file; use apiKeyEnv (an environment variable) or"
                            + " apiKeyFile");
        }
        String key = secrets.resolve("temporal", "apiKey", t.apiKeyEnv(), t.apiKeyFile());
        if (key != null) {
            String from = t.apiKeyEnv() != null
                    ? "temporal.apiKeyEnv (" + t.apiKeyEnv() + ")" + in
                    : "temporal.apiKeyFile" + in;
            b.apiKey(new TemporalSettings.Secret(key, from), from);
        }
        if (t.tls() != null) {
            tls(b, t.tls(), in);
        }
        return b.build();
    }

    private void tls(TemporalSettings.Builder b, RawTls tls, String in) {
        String k = "temporal.tls.";
        b.tls(tls.enabled() != null ? tls.enabled() : Boolean.TRUE, k + "enabled" + in)
                .serverCa(pem(tls.caFile()), k + "caFile" + in)
                .clientCert(pem(tls.certFile()), k + "certFile" + in)
                .clientKey(pem(tls.keyFile()), k + "keyFile" + in)
                .serverName(tls.serverName(), k + "serverName" + in)
                .disableHostVerification(tls.disableHostVerification(), k + "disableHostVerification" + in);
        String password = secrets.resolve("temporal.tls", "keyPassword", tls.keyPasswordEnv(), tls.keyPasswordFile());
        if (password != null) {
            String from = k + (tls.keyPasswordEnv() != null ? "keyPasswordEnv" : "keyPasswordFile") + in;
            b.clientKeyPassword(new TemporalSettings.Secret(password, from), from);
        }
    }

    private TemporalSettings.Pem pem(String path) {
        return path == null
                ? null
                : TemporalSettings.Pem.file(base.resolve(path).normalize());
    }
}
