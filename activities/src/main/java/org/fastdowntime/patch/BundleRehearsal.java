package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.EnvironmentSettings.Rehearsal;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.SealedBundle.Deferral;

/**
 * Rehearses a bundle before it is sealed: applied in its order, as the outage will, in one transaction that is
 * rolled back — on the environment's staging database, or on a throwaway copy of the target's schema
 * ({@link ScratchCopy}), as the environment's {@link Rehearsal} says. A patch that fails there never reaches the
 * outage: with {@code defer}, it is left out with its error and the rest is rehearsed again (so a patch that
 * needs a left-out one is left out in turn, with its own error); without, the rehearsal fails naming it.
 */
final class BundleRehearsal {
    private BundleRehearsal() {}

    /** What the rehearsal kept, how it went (for people), and what it left out. */
    record Outcome(List<PatchFile> kept, String how, List<Deferral> deferred) {}

    /**
     * @param set the target's folder, as the bundle was read from it: exactly the bundle runs, on either side
     */
    static Outcome rehearse(
            EnvironmentSettings target, EnvironmentSettings staging, PatchSet set, ColdBundle bundle, boolean defer)
            throws PatchEngineException, SQLException {
        Rehearsal mode = target.rehearsal();
        boolean onStaging = staging != null && (mode == Rehearsal.AUTO || mode == Rehearsal.STAGING);
        if (mode == Rehearsal.NONE) {
            return notRehearsed(bundle, "rehearsal is off for " + target.name() + " (rehearsal: none)");
        }
        if (onStaging) {
            try (Connection c = Environments.connect(staging, "fastdowntime rehearsal")) {
                return run(
                        c,
                        set,
                        new PatchEngine(staging.engineSettings()),
                        bundle,
                        defer,
                        "on staging (" + staging.name() + ")");
            }
        }
        if (mode == Rehearsal.STAGING) {
            return notRehearsed(bundle, target.name() + " has no staging environment (rehearsal: staging)");
        }
        ScratchCopy copy;
        try {
            copy = ScratchCopy.of(target);
        } catch (PatchEngineException e) {
            return notRehearsed(bundle, "no copy of " + target.name() + "'s schema could be made: " + e.getMessage());
        }
        try (copy;
                Connection c =
                        Databases.connect(copy.url(), target.user(), target.password(), "fastdowntime rehearsal")) {
            return run(
                    c,
                    set,
                    new PatchEngine(target.engineSettings()),
                    bundle,
                    defer,
                    "on a copy of " + target.name() + "'s schema");
        }
    }

    private static Outcome notRehearsed(ColdBundle bundle, String why) {
        return new Outcome(bundle.patches(), "not rehearsed: " + why, List.of());
    }

    private static Outcome run(
            Connection c, PatchSet set, PatchEngine engine, ColdBundle bundle, boolean defer, String where)
            throws PatchEngineException, SQLException {
        List<PatchFile> left = new ArrayList<>(bundle.patches());
        List<Deferral> deferred = new ArrayList<>();
        while (!left.isEmpty()) {
            try {
                double seconds = engine.timeCold(c, set, new ColdBundle(left, bundle.scripts()))
                        .aggregateSeconds();
                return new Outcome(
                        List.copyOf(left),
                        String.format(
                                Locale.ROOT,
                                "rehearsed %s: %d patch(es)%s applied in %.2f s and rolled back",
                                where,
                                left.size(),
                                bundle.scripts().isEmpty()
                                        ? ""
                                        : " and " + bundle.scripts().size() + " script(s)",
                                seconds),
                        deferred);
            } catch (PatchEngineException e) {
                PatchFile culprit = e.type() != ProblemType.PATCH_FAILED
                        ? null
                        : left.stream()
                                .filter(p -> e.getMessage().startsWith(p.fileName() + ":"))
                                .findFirst()
                                .orElse(null);
                if (culprit == null || !defer) {
                    throw new PatchEngineException(
                            e.type(), "the rehearsal " + where + " failed: " + e.getMessage(), e.sqlState(), e);
                }
                deferred.add(new Deferral(
                        culprit.id(),
                        "failed its rehearsal " + where + ": " + e.getMessage()
                                + (e.sqlState() == null ? "" : " [SQLSTATE " + e.sqlState() + "]")));
                left.remove(culprit);
            }
        }
        return new Outcome(List.of(), "rehearsed " + where + ": every patch failed", deferred);
    }
}
