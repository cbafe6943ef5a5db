package org.fastdowntime.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * OpenSSH's allowed-signers file ({@code ssh-keygen(1)}, ALLOWED SIGNERS; git's {@code gpg.ssh.allowedSignersFile}):
 * one line per key, {@code principals [options] key-type base64-key [comment]}, principals a comma-separated list of
 * patterns ({@code *} and {@code ?}), options {@code namespaces="…"}, {@code valid-after}, {@code valid-before} and
 * {@code cert-authority}. A certificate authority's line is not used here: a signer is a key.
 */
public final class AllowedSigners {
    /** One usable line. */
    record Signer(
            int line, List<Pattern> principals, String principalText, Map<String, String> options, PublicKey key) {
        boolean names(String principal) {
            return principals.stream().anyMatch(p -> p.matcher(principal).matches());
        }

        boolean allows(String namespace) {
            String namespaces = options.get("namespaces");
            return namespaces == null
                    || Arrays.stream(namespaces.split(",")).map(String::trim).anyMatch(namespace::equals);
        }

        /** Null if {@code at} is within the line's validity, else why not. */
        String validity(Instant at) {
            String after = options.get("valid-after");
            String before = options.get("valid-before");
            if (after != null && at.isBefore(time(after))) {
                return "the key is valid only after " + after;
            }
            if (before != null && !at.isBefore(time(before))) {
                return "the key was valid only before " + before;
            }
            return null;
        }
    }

    private final String source;
    private final List<Signer> signers;

    private AllowedSigners(String source, List<Signer> signers) {
        this.source = source;
        this.signers = signers;
    }

    /** Reads {@code file}; a line that is not one is an error naming its line number. */
    public static AllowedSigners read(Path file) throws SigningException {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new SigningException("cannot read the allowed signers " + file + ": " + e.getMessage(), e);
        }
    }

    public static AllowedSigners parse(String source, String text) throws SigningException {
        List<Signer> signers = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                Signer s = signer(i + 1, line);
                if (s != null) {
                    signers.add(s);
                }
            } catch (RuntimeException | IOException | java.security.GeneralSecurityException e) {
                throw new SigningException(source + ":" + (i + 1) + ": not an allowed signer: " + e.getMessage(), e);
            }
        }
        return new AllowedSigners(source, List.copyOf(signers));
    }

    /**
     * Null if {@code principal} may sign in {@code namespace} at {@code at} with the signature's key, else why not.
     */
    public String problem(String principal, String namespace, PublicKey key, Instant at) {
        List<Signer> theirs = signers.stream().filter(s -> s.names(principal)).toList();
        if (theirs.isEmpty()) {
            return principal + " is not in the allowed signers (" + source + ")";
        }
        byte[] wanted = SshSignature.publicKeyBlob(key);
        List<Signer> withKey = theirs.stream()
                .filter(s -> MessageDigest.isEqual(SshSignature.publicKeyBlob(s.key()), wanted))
                .toList();
        if (withKey.isEmpty()) {
            return "the key " + org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(key) + " is not " + principal
                    + "'s in the allowed signers";
        }
        List<Signer> inNamespace =
                withKey.stream().filter(s -> s.allows(namespace)).toList();
        if (inNamespace.isEmpty()) {
            return principal + "'s key is not allowed to sign in the namespace " + namespace + " (line "
                    + withKey.get(0).line() + ")";
        }
        String why = null;
        for (Signer s : inNamespace) {
            why = s.validity(at);
            if (why == null) {
                return null;
            }
        }
        return principal + ": " + why;
    }

    public int size() {
        return signers.size();
    }

    private static Signer signer(int number, String line) throws IOException, java.security.GeneralSecurityException {
        List<String> tokens = tokens(line);
        if (tokens.size() < 3) {
            throw new IllegalArgumentException("a line needs principals, a key type and a key");
        }
        String principals = unquote(tokens.get(0));
        Map<String, String> options = new TreeMap<>();
        int k = 1;
        if (!isKeyType(tokens.get(1))) {
            for (String option : splitOptions(tokens.get(1))) {
                int eq = option.indexOf('=');
                options.put(
                        (eq < 0 ? option : option.substring(0, eq)).toLowerCase(java.util.Locale.ROOT),
                        eq < 0 ? "" : unquote(option.substring(eq + 1)));
            }
            k = 2;
        }
        if (tokens.size() < k + 2 || !isKeyType(tokens.get(k))) {
            throw new IllegalArgumentException("no key type where one was expected");
        }
        if (options.containsKey("cert-authority")) {
            return null;
        }
        for (String time : new String[] {"valid-after", "valid-before"}) {
            if (options.containsKey(time)) {
                time(options.get(time));
            }
        }
        PublicKey key = PublicKeyEntry.parsePublicKeyEntry(tokens.get(k) + " " + tokens.get(k + 1))
                .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        List<Pattern> patterns = Arrays.stream(principals.split(","))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .map(AllowedSigners::glob)
                .toList();
        return new Signer(number, patterns, principals, options, key);
    }

    private static boolean isKeyType(String token) {
        return token.startsWith("ssh-") || token.startsWith("ecdsa-") || token.startsWith("sk-");
    }

    /** Tokens separated by blanks, a double-quoted run (with blanks) kept as one. */
    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && (c == ' ' || c == '\t')) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("an unclosed quote");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** {@code a,b="x,y",c}: commas outside quotes separate. */
    private static List<String> splitOptions(String options) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : options.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** {@code YYYYMMDD[HHMM[SS]]} with an optional {@code Z}: UTC here (ssh-keygen reads it as local time without Z). */
    static Instant time(String text) {
        String t = text.endsWith("Z") || text.endsWith("z") ? text.substring(0, text.length() - 1) : text;
        if (t.length() == 8) {
            return LocalDate.parse(t, DateTimeFormatter.BASIC_ISO_DATE)
                    .atStartOfDay()
                    .toInstant(ZoneOffset.UTC);
        }
        String pattern = t.length() == 12 ? "yyyyMMddHHmm" : "yyyyMMddHHmmss";
        if (t.length() != 12 && t.length() != 14) {
            throw new IllegalArgumentException("a time of the form YYYYMMDD[HHMM[SS]]: " + text);
        }
        return LocalDateTime.parse(t, DateTimeFormatter.ofPattern(pattern)).toInstant(ZoneOffset.UTC);
    }
}
