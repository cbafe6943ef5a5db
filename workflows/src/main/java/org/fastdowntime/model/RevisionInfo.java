package org.fastdowntime.model;

import java.util.List;

/** A db-stable revision not yet in devel, with the patch files it adds or changes. */
public record RevisionInfo(String sha, String subject, String author, List<String> patchFiles) {
    public boolean carriesPatches() {
        return !patchFiles.isEmpty();
    }
}
