package org.fastdowntime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real OpenSSH tools the signed-approval tests check against: ssh-keygen making keys and verifying. */
public final class OpenSsh {
    private OpenSsh() {}

    /** What a tool said and how it exited. */
    public record Result(int exit, String out) {}

    /** A new key pair of {@code type} (ed25519, ecdsa, rsa) named {@code name} in {@code dir}; the private key's path. */
    public static Path keygen(Path dir, String name, String type) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        List<String> cmd =
                new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        Result r = run(null, cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new IllegalStateException("ssh-keygen could not make a " + type + " key: " + r.out());
        }
        return key;
    }

    /** The public key line of the key made by {@link #keygen}. */
    public static String publicKey(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    /** {@code ssh-keygen -Y verify} of {@code signature} over {@code statement} as {@code principal}. */
    public static Result verify(Path allowedSigners, String principal, Path statement, Path signature)
            throws IOException, InterruptedException {
        return run(
                statement,
                "ssh-keygen",
                "-Y",
                "verify",
                "-f",
                allowedSigners.toString(),
                "-I",
                principal,
                "-n",
                "fastdowntime",
                "-s",
                signature.toString());
    }

    /** {@code command}, its input from {@code stdin} when given. */
    public static Result run(Path stdin, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), out);
    }
}
