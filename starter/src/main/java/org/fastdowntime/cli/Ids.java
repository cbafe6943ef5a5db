package org.fastdowntime.cli;

import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;

final class Ids {
    private Ids() {}

    static List<PatchId> parse(List<String> texts) {
        List<PatchId> ids = new ArrayList<>();
        for (String t : texts) {
            try {
                ids.add(PatchId.parse(t));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--patch: " + e.getMessage());
            }
        }
        return ids;
    }
}
