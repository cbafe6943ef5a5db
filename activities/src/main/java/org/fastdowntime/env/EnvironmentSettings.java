package org.fastdowntime.env;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.Grant;
import org.fastdowntime.pgbouncer.PgBouncerSettings;

/**
 * Everything the worker knows of one environment. The password is resolved from an environment
 * variable or a file by the worker's config loader and never leaves this object: {@link
 * #toString()} hides it, and {@link #policy()} — what workflows see — carries people and budgets
 * only.
 */
public record EnvironmentSettings(
        String name,
        String jdbcUrl,
        String user,
        String password,
        Path patches,
        String revisionTable,
        String maintenanceDatabase,
        String staging,
        List<String> approvers,
        List<String> signOffApprovers,
        Set<String> systemUsers,
        Set<String> fragileUsers,
        Set<String> badUsers,
        List<Hook> quiesce,
        List<Hook> resume,
        List<String> checkUrls,
        String checkSql,
        Budgets budgets,
        PgBouncerSettings pgbouncer,
        List<String> repeatableScripts,
        List<Grant> grants,
        StandbySettings standbys,
        Rehearsal rehearsal,
        ApprovalSettings approvals) {

    /**
     * Where a window's sealed bundle is rehearsed (applied in its order and rolled back) before anything is
     * quiesced: {@code AUTO} on the staging environment when there is one, else on a throwaway copy of the
     * target's schema ({@code pg_dump --schema-only} into a scratch database on the same server); {@code
     * STAGING} only there; {@code COPY} always on a copy; {@code NONE} never (the status says so).
     */
    public enum Rehearsal {
        AUTO,
        STAGING,
        COPY,
        NONE
    }

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");

    public EnvironmentPolicy policy() {
        return new EnvironmentPolicy(
                name,
                approvers,
                signOffApprovers,
                staging != null,
                budgets.perPatch(),
                budgets.outage(),
                budgets.qaLead(),
                budgets.quiesceLead(),
                budgets.heartbeatTimeout(),
                budgets.preflightLead(),
                budgets.armLead(),
                budgets.stagingTotal(),
                approvals.signed());
    }

    public EngineSettings engineSettings() {
        return EngineSettings.defaults()
                .withRevisionTable(revisionTable)
                .withTimeouts(budgets.lockTimeout(), budgets.statementTimeout())
                .withPerPatchBudget(budgets.perPatch())
                .withFollowUps(repeatableScripts, grants);
    }

    /** The target database's name, read from the JDBC URL. */
    public String databaseName() {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches() || m.group(2).isEmpty()) {
            throw new IllegalArgumentException("cannot read the database name of " + jdbcUrl);
        }
        // The URL's path is percent-encoded (caf%C3%A9 is café); a + is a +, not a space.
        return java.net.URLDecoder.decode(m.group(2).replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The same server's maintenance database, from which the gate is closed and opened. */
    public String maintenanceUrl() {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot derive the maintenance database URL of " + jdbcUrl);
        }
        return m.group(1) + maintenanceDatabase + (m.group(3) == null ? "" : m.group(3));
    }

    /**
     * The same environment behind a pgbouncer: its gate becomes PAUSE/RESUME on these pgbouncer
     * databases.
     */
    public EnvironmentSettings withPgBouncer(PgBouncerSettings settings) {
        return toBuilder().pgbouncer(settings).build();
    }

    /**
     * An environment with Launchpad's defaults (patcher and maintenance database {@code postgres}, the
     * Launchpad revision table, {@code postgres} as the only system user, default budgets, no people, hooks or
     * checks): set what differs.
     */
    public static Builder builder(String name, String jdbcUrl) {
        return new Builder(name, jdbcUrl);
    }

    /** This environment, to change a few settings of. */
    public Builder toBuilder() {
        return copyAs(name, jdbcUrl);
    }

    /**
     * A member of a fleet that shares these settings: named {@code name}, on {@code jdbcUrl}. Its windows rehearse
     * nothing on their own (the fleet rehearses once, on this environment's staging) and it has no standbys.
     */
    public EnvironmentSettings member(String name, String jdbcUrl) {
        Builder b = copyAs(name, jdbcUrl);
        b.staging = null;
        b.standbys = StandbySettings.NONE;
        return b.build();
    }

    private Builder copyAs(String name, String jdbcUrl) {
        Builder b = new Builder(name, jdbcUrl);
        b.user = user;
        b.password = password;
        b.patches = patches;
        b.revisionTable = revisionTable;
        b.maintenanceDatabase = maintenanceDatabase;
        b.staging = staging;
        b.approvers = approvers;
        b.signOffApprovers = signOffApprovers;
        b.systemUsers = systemUsers;
        b.fragileUsers = fragileUsers;
        b.badUsers = badUsers;
        b.quiesce = quiesce;
        b.resume = resume;
        b.checkUrls = checkUrls;
        b.checkSql = checkSql;
        b.budgets = budgets;
        b.pgbouncer = pgbouncer;
        b.repeatableScripts = repeatableScripts;
        b.grants = grants;
        b.standbys = standbys;
        b.rehearsal = rehearsal;
        b.approvals = approvals;
        return b;
    }

    /** Builds {@link EnvironmentSettings}; unset settings keep the defaults of {@link #builder}. */
    public static final class Builder {
        private final String name;
        private String jdbcUrl;
        private String user = "postgres";
        private String password = null;
        private Path patches = null;
        private String revisionTable = EngineSettings.DEFAULT_REVISION_TABLE;
        private String maintenanceDatabase = "postgres";
        private String staging = null;
        private List<String> approvers = List.of();
        private List<String> signOffApprovers = List.of();
        private Set<String> systemUsers = Set.of("postgres");
        private Set<String> fragileUsers = Set.of();
        private Set<String> badUsers = Set.of();
        private List<Hook> quiesce = List.of();
        private List<Hook> resume = List.of();
        private List<String> checkUrls = List.of();
        private String checkSql = null;
        private Budgets budgets = Budgets.defaults();
        private PgBouncerSettings pgbouncer = null;
        private List<String> repeatableScripts = EngineSettings.LAUNCHPAD_SCRIPTS;
        private List<Grant> grants = List.of();
        private StandbySettings standbys = StandbySettings.NONE;
        private Rehearsal rehearsal = Rehearsal.AUTO;
        private ApprovalSettings approvals = ApprovalSettings.named();

        private Builder(String name, String jdbcUrl) {
            this.name = name;
            this.jdbcUrl = jdbcUrl;
        }

        /** Another address of the same database (a proxy in front of it, for instance). */
        public Builder jdbcUrl(String value) {
            jdbcUrl = value;
            return this;
        }

        public Builder user(String value) {
            user = value;
            return this;
        }

        public Builder password(String value) {
            password = value;
            return this;
        }

        public Builder patches(Path value) {
            patches = value;
            return this;
        }

        public Builder revisionTable(String value) {
            revisionTable = value;
            return this;
        }

        public Builder maintenanceDatabase(String value) {
            maintenanceDatabase = value;
            return this;
        }

        public Builder staging(String value) {
            staging = value;
            return this;
        }

        public Builder approvers(List<String> value) {
            approvers = value;
            return this;
        }

        public Builder signOffApprovers(List<String> value) {
            signOffApprovers = value;
            return this;
        }

        public Builder systemUsers(Set<String> value) {
            systemUsers = value;
            return this;
        }

        public Builder fragileUsers(Set<String> value) {
            fragileUsers = value;
            return this;
        }

        public Builder badUsers(Set<String> value) {
            badUsers = value;
            return this;
        }

        public Builder quiesce(List<Hook> value) {
            quiesce = value;
            return this;
        }

        public Builder resume(List<Hook> value) {
            resume = value;
            return this;
        }

        public Builder checkUrls(List<String> value) {
            checkUrls = value;
            return this;
        }

        public Builder checkSql(String value) {
            checkSql = value;
            return this;
        }

        public Builder budgets(Budgets value) {
            budgets = value;
            return this;
        }

        public Builder pgbouncer(PgBouncerSettings value) {
            pgbouncer = value;
            return this;
        }

        /** Scripts of the patch folder re-applied after the patches (default: Launchpad's). */
        public Builder repeatableScripts(List<String> value) {
            repeatableScripts = value;
            return this;
        }

        /** Privileges application roles get on every table and sequence a window creates. */
        public Builder grants(List<Grant> value) {
            grants = value;
            return this;
        }

        /** The streaming standbys the environment expects (preflight, and the wait after COMMIT). */
        public Builder standbys(StandbySettings value) {
            standbys = value;
            return this;
        }

        public Builder rehearsal(Rehearsal value) {
            rehearsal = value == null ? Rehearsal.AUTO : value;
            return this;
        }

        public Builder approvals(ApprovalSettings value) {
            approvals = value == null ? ApprovalSettings.named() : value;
            return this;
        }

        public EnvironmentSettings build() {
            return new EnvironmentSettings(
                    name,
                    jdbcUrl,
                    user,
                    password,
                    patches,
                    revisionTable,
                    maintenanceDatabase,
                    staging,
                    approvers,
                    signOffApprovers,
                    systemUsers,
                    fragileUsers,
                    badUsers,
                    quiesce,
                    resume,
                    checkUrls,
                    checkSql,
                    budgets,
                    pgbouncer,
                    repeatableScripts,
                    grants,
                    standbys,
                    rehearsal,
                    approvals);
        }
    }

    @Override
    public String toString() {
        return "EnvironmentSettings["
                + name
                + ", "
                + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***")
                + ", user "
                + user
                + ", password "
                + (password == null ? "none" : "***")
                + "]";
    }
}
