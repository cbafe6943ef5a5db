package org.fastdowntime.patch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.model.SealedBundle.SealedFile;

/**
 * Seals a window's bundle and checks a folder against a seal: the one place that says what an outage may run.
 * Sealing takes the approved candidates as they were approved (a file whose bytes changed since is refused);
 * checking takes the folder as it is at the outage and returns exactly the sealed patches and scripts, or says
 * what differs, so nothing runs that was not sealed.
 */
public final class BundleSeal {
    private BundleSeal() {}

    /** A folder that no longer matches what was approved or sealed; nothing may run. */
    public static final class Broken extends Exception {
        Broken(String message) {
            super(message);
        }
    }

    /**
     * The bundle of {@code approved} (cold, in id order), followed by every repeatable script of {@code set},
     * and {@code grants}; none approved, an empty bundle (no script either).
     */
    public static SealedBundle seal(
            PatchSet set,
            Collection<PatchCandidate> approved,
            List<Grant> grants,
            String rehearsal,
            List<SealedBundle.Deferral> deferred)
            throws Broken {
        List<SealedFile> patches = new ArrayList<>();
        for (PatchCandidate c : approved.stream()
                .sorted(java.util.Comparator.comparing(PatchCandidate::id))
                .toList()) {
            PatchFile f = approvedFile(set, c);
            if (f.kind() != PatchKind.COLD) {
                throw new Broken(f.fileName() + " is " + f.kind() + ": it never runs inside an outage");
            }
            patches.add(new SealedFile(f.id(), f.fileName(), f.sha256()));
        }
        List<SealedFile> scripts = patches.isEmpty()
                ? List.of()
                : set.scripts().stream()
                        .map(s -> new SealedFile(null, s.fileName(), s.sha256()))
                        .toList();
        String grantsSha = patches.isEmpty() ? null : grantsSha256(grants);
        return new SealedBundle(patches, scripts, grantsSha, sha256(patches, scripts, grantsSha), rehearsal, deferred);
    }

    /** {@code c}'s file in {@code set}, if its bytes are still the ones approved. */
    public static PatchFile approvedFile(PatchSet set, PatchCandidate c) throws Broken {
        PatchFile f = set.find(c.id()).orElseThrow(() -> new Broken(c.file() + " is no longer in " + set.folder()));
        if (!f.sha256().equals(c.sha256())) {
            throw new Broken(c.file() + " changed after it was approved (SHA-256 " + c.sha256() + ", now " + f.sha256()
                    + "); an unapproved version is never applied");
        }
        return f;
    }

    /**
     * Exactly the sealed patches and scripts of {@code sealed}, read from {@code set} as it is now; any byte of
     * theirs that changed, a sealed file that is gone, a script that appeared, or grant rules that changed since
     * the seal breaks it.
     */
    public static ColdBundle check(PatchSet set, SealedBundle sealed, List<Grant> grants) throws Broken {
        List<PatchFile> patches = new ArrayList<>();
        for (SealedFile s : sealed.patches()) {
            PatchFile f = set.find(s.id()).orElseThrow(() -> new Broken(s.file() + " is no longer in " + set.folder()));
            same(s, f.sha256());
            patches.add(f);
        }
        if (patches.isEmpty()) {
            return ColdBundle.EMPTY;
        }
        Map<String, RepeatableScript> now =
                set.scripts().stream().collect(Collectors.toMap(RepeatableScript::fileName, Function.identity()));
        List<RepeatableScript> scripts = new ArrayList<>();
        for (SealedFile s : sealed.scripts()) {
            RepeatableScript r = now.remove(s.file());
            if (r == null) {
                throw new Broken(s.file() + " was sealed with the window and is no longer in " + set.folder());
            }
            same(s, r.sha256());
            scripts.add(r);
        }
        if (!now.isEmpty()) {
            throw new Broken(String.join(", ", now.keySet()) + " appeared in " + set.folder()
                    + " after the window was sealed; it would run unapproved");
        }
        String g = grantsSha256(grants);
        if (sealed.grantsSha256() != null && !sealed.grantsSha256().equals(g)) {
            throw new Broken("the environment's grant rules changed after the window was sealed");
        }
        return new ColdBundle(patches, scripts);
    }

    private static void same(SealedFile s, String sha256) throws Broken {
        if (!s.sha256().equals(sha256)) {
            throw new Broken(s.file() + " changed after the window was sealed (SHA-256 " + s.sha256() + ", now "
                    + sha256 + "); an unsealed version is never run");
        }
    }

    /** The grant rules as text, hashed: a change of role or privilege is a change of the bundle. */
    static String grantsSha256(List<Grant> grants) {
        StringBuilder b = new StringBuilder();
        for (Grant g : grants) {
            b.append(g.role())
                    .append(" tables ")
                    .append(g.tables())
                    .append(" sequences ")
                    .append(g.sequences())
                    .append('\n');
        }
        return PatchFolder.sha256(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One hash over every file of the bundle, in order, and its grants. */
    static String sha256(List<SealedFile> patches, List<SealedFile> scripts, String grantsSha) {
        StringBuilder b = new StringBuilder();
        for (SealedFile p : patches) {
            b.append("patch ")
                    .append(p.id())
                    .append(' ')
                    .append(p.file())
                    .append(' ')
                    .append(p.sha256())
                    .append('\n');
        }
        for (SealedFile s : scripts) {
            b.append("script ").append(s.file()).append(' ').append(s.sha256()).append('\n');
        }
        b.append("grants ").append(grantsSha).append('\n');
        return PatchFolder.sha256(b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
