package org.fastdowntime.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * RC mode, where the landing hook reads it: a small JSON file in the repository's git directory
 * ({@code fastdowntime-rc.json}). The hook runs on the same machine as the repository, needs no
 * network, no Temporal and no database to decide, and reads one file in a millisecond. Writes go to
 * a temporary file renamed over the old one, so the hook never sees half a state. No file means RC
 * mode is off.
 *
 * @param approved commits a lead approved for landing while RC mode is on (full or abbreviated ids)
 */
public record RcState(
        boolean rcMode, String branch, String workflowId, String revision, Instant since, List<String> approved) {

    public static final String FILE = "fastdowntime-rc.json";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    public RcState {
        approved = approved == null ? List.of() : List.copyOf(approved);
    }

    public static RcState off(String branch) {
        return new RcState(false, branch, null, null, null, List.of());
    }

    public static RcState read(Path file, String branch) throws IOException {
        if (!Files.exists(file)) {
            return off(branch);
        }
        return JSON.readValue(file.toFile(), RcState.class);
    }

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public RcState approve(String commit) {
        List<String> more = new ArrayList<>(approved);
        if (!more.contains(commit)) {
            more.add(commit);
        }
        return new RcState(rcMode, branch, workflowId, revision, since, more);
    }

    public boolean isApproved(String sha) {
        return approved.stream().anyMatch(a -> a.length() >= 7 && sha.startsWith(a));
    }
}
