package org.fastdowntime.patch;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fastdowntime.model.LintFinding;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.Severity;

/**
 * Finds and reads the patches of a folder laid out as Launchpad's {@code database/schema}: files
 * named {@code patch-MAJOR-MINOR-PATCH.sql} (4-2-1 digits) and baselines {@code
 * <name>-MAJOR-00-0.sql}; and the repeatable scripts named by the engine's settings (Launchpad's
 * {@code trusted.sql} and {@code comments.sql} by default). Other files ({@code security.cfg},
 * tools) are left alone.
 */
public final class PatchFolder {
    private static final Pattern PATCH_NAME =
            Pattern.compile("patch-(\\d{4})-(\\d{2})-(\\d)\\.sql", Pattern.CASE_INSENSITIVE);
    private static final Pattern BASELINE_NAME = Pattern.compile("[a-z][a-z0-9_]*-(\\d{4})-00-0\\.sql");

    private PatchFolder() {}

    /**
     * Reads every patch of {@code folder}. Never throws for a bad file: each problem is collected
     * with the file and line it concerns, so one run reports all of them.
     */
    public static PatchSet scan(Path folder, String revisionTable, int pgMajor) throws IOException {
        return scan(folder, revisionTable, pgMajor, EngineSettings.LAUNCHPAD_SCRIPTS);
    }

    /** As {@link #scan(Path, String, int)}, with the engine's revision table and repeatable scripts. */
    public static PatchSet scan(Path folder, EngineSettings settings, int pgMajor) throws IOException {
        return scan(folder, settings.revisionTable(), pgMajor, settings.repeatableScripts());
    }

    /**
     * @param repeatable file names of scripts that follow the patches (read when present, in this
     *     order)
     */
    public static PatchSet scan(Path folder, String revisionTable, int pgMajor, List<String> repeatable)
            throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("patch folder " + folder + " does not exist or is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            // Dangling links are kept: reading them reports an unreadable file instead of skipping it
            // silently.
            files = list.filter(p -> !Files.isDirectory(p)).sorted().toList();
        }
        List<Problem> problems = new ArrayList<>();
        List<PatchFile> patches = new ArrayList<>();
        List<Path> baselines = new ArrayList<>();
        Map<PatchId, String> seen = new HashMap<>();
        for (Path path : files) {
            String name = path.getFileName().toString();
            if (BASELINE_NAME.matcher(name).matches() && !name.startsWith("patch-")) {
                baselines.add(path);
                continue;
            }
            if (!lower(name).startsWith("patch-")) {
                continue;
            }
            Matcher m = PATCH_NAME.matcher(name);
            if (!m.matches()) {
                problems.add(Problem.of(
                        ProblemType.BAD_FILE_NAME,
                        name,
                        "expected patch-MAJOR-MINOR-PATCH.sql with 4-2-1 digits, e.g." + " patch-2211-30-0.sql"));
                continue;
            }
            PatchId id = PatchId.parse(m.group(1) + "-" + m.group(2) + "-" + m.group(3));
            String other = seen.putIfAbsent(id, name);
            if (other != null) {
                problems.add(
                        Problem.of(ProblemType.DUPLICATE_ID, name, "patch id " + id + " is also used by " + other));
                continue;
            }
            read(path, id, revisionTable, pgMajor, problems).ifPresent(patches::add);
        }
        patches.sort(Comparator.comparing(PatchFile::id));
        List<RepeatableScript> scripts = new ArrayList<>();
        for (String name : repeatable) {
            Path path = folder.resolve(name);
            if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
                readScript(path, pgMajor, problems).ifPresent(scripts::add);
            }
        }
        return new PatchSet(
                folder, List.copyOf(patches), List.copyOf(baselines), List.copyOf(problems), List.copyOf(scripts));
    }

    static PatchId baselineMajor(Path baseline) {
        Matcher m = BASELINE_NAME.matcher(baseline.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a baseline file: " + baseline);
        }
        return new PatchId(Integer.parseInt(m.group(1)), 0, 0);
    }

    /** A file's bytes and its statements, or empty with the problem recorded. */
    private record Parsed(byte[] bytes, List<SqlStatement> statements) {}

    /**
     * @param patch whether the file is a patch (Launchpad concatenates patches, so each must end with
     *     its own ';'); a repeatable script runs statement by statement
     */
    private static Optional<Parsed> parse(Path path, boolean patch, List<Problem> problems) {
        String name = path.getFileName().toString();
        byte[] bytes;
        String text;
        try {
            bytes = Files.readAllBytes(path);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(Problem.of(ProblemType.UNREADABLE_FILE, name, "not valid UTF-8"));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(Problem.of(ProblemType.UNREADABLE_FILE, name, String.valueOf(e.getMessage())));
            return Optional.empty();
        }
        if (patch && !text.stripTrailing().endsWith(";")) {
            problems.add(Problem.of(
                    ProblemType.MISSING_SEMICOLON,
                    name,
                    "the last non-whitespace character must be ';' (patches are concatenated into one script)"));
        }
        try {
            return Optional.of(new Parsed(bytes, SqlScript.parse(text)));
        } catch (SqlSyntaxException e) {
            problems.add(new Problem(ProblemType.SQL_SYNTAX, name, e.line(), e.getMessage()));
            return Optional.empty();
        }
    }

    /** A repeatable script: parsed and linted like a COLD patch; it must run in the window's transaction. */
    private static Optional<RepeatableScript> readScript(Path path, int pgMajor, List<Problem> problems) {
        String name = path.getFileName().toString();
        Optional<Parsed> parsed = parse(path, false, problems);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        List<SqlStatement> statements = parsed.get().statements();
        for (SqlStatement s : statements) {
            StatementKinds.liveReason(s)
                    .ifPresent(why -> problems.add(new Problem(
                            ProblemType.MIXED_KINDS,
                            name,
                            s.line(),
                            "a repeatable script runs in the window's transaction, but this statement cannot: "
                                    + why)));
        }
        problems.addAll(PatchRules.problems(name, statements));
        List<LintFinding> lint = Linter.lint(name, statements, false, true, pgMajor);
        lintProblems(name, lint, problems);
        return Optional.of(new RepeatableScript(path, sha256(parsed.get().bytes()), statements, lint));
    }

    private static void lintProblems(String name, List<LintFinding> lint, List<Problem> problems) {
        for (LintFinding f : lint) {
            // A rule the set's own rules enforce is reported once, by them, and no lint: ignore silences it.
            if (f.severity() == Severity.ERROR && !f.suppressed() && !f.rule().equals(PatchRules.COVERED_LINT_RULE)) {
                problems.add(new Problem(ProblemType.LINT_ERROR, name, f.line(), f.rule() + ": " + f.message()));
            }
        }
    }

    private static Optional<PatchFile> read(
            Path path, PatchId id, String revisionTable, int pgMajor, List<Problem> problems) {
        String name = path.getFileName().toString();
        Optional<Parsed> parsed = parse(path, true, problems);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = parsed.get().bytes();
        List<SqlStatement> statements = parsed.get().statements();
        Kinds k = kinds(statements, id, name, revisionTable, problems);
        SqlStatement revisionInsert = k.revisionInsert();
        boolean hasLive = k.live();
        boolean hasCold = k.cold();
        if (hasLive && hasCold) {
            problems.add(Problem.of(
                    ProblemType.MIXED_KINDS,
                    name,
                    "has statements that cannot run in a transaction (LIVE) and statements that need the"
                            + " outage (COLD); split it into two patches"));
        }
        problems.addAll(PatchRules.problems(name, statements));
        List<LintFinding> lint = Linter.lint(name, statements, hasLive, hasCold, pgMajor);
        lintProblems(name, lint, problems);
        PatchKind kind = hasLive ? PatchKind.LIVE : PatchKind.COLD;
        return Optional.of(new PatchFile(id, path, sha256(bytes), kind, statements, revisionInsert, lint));
    }

    /** What a file's statements are: its revision INSERT, and whether any is LIVE or COLD. */
    private record Kinds(SqlStatement revisionInsert, boolean live, boolean cold) {}

    private static Kinds kinds(
            List<SqlStatement> statements, PatchId id, String name, String revisionTable, List<Problem> problems) {
        SqlStatement revisionInsert = null;
        boolean live = false;
        boolean cold = false;
        for (SqlStatement s : statements) {
            Optional<PatchId> recorded = RevisionInsert.recordedId(s, revisionTable);
            if (recorded.isPresent()) {
                if (!recorded.get().equals(id)) {
                    problems.add(new Problem(
                            ProblemType.REVISION_MISMATCH,
                            name,
                            s.line(),
                            "records revision " + recorded.get() + " but the file name says " + id));
                }
                revisionInsert = s;
            } else if (StatementKinds.liveReason(s).isPresent()) {
                live = true;
            } else {
                cold = true;
            }
        }
        return new Kinds(revisionInsert, live, cold);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
