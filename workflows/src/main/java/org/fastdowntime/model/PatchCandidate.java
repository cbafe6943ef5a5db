package org.fastdowntime.model;

import java.time.Instant;
import java.util.Locale;

/**
 * A pending patch as resolved from the environment's folder, pinned by its checksum.
 *
 * @param landedAt when it landed (git, when a repository is configured; else when it was first seen pending), for
 *     lead-time figures; null when unknown
 * @param author who wrote it, {@code Name <email>} from git when a repository is configured, else null
 */
public record PatchCandidate(PatchId id, String file, String sha256, PatchKind kind, Instant landedAt,
    String author) {
  public PatchCandidate(PatchId id, String file, String sha256, PatchKind kind) {
    this(id, file, sha256, kind, null, null);
  }

  /**
   * Whether {@code person} (an approver's name) is this patch's author: the git name, the whole email or its local
   * part, compared without case.
   */
  public boolean writtenBy(String person) {
    if (author == null || person == null || person.isBlank()) {
      return false;
    }
    String p = person.trim().toLowerCase(Locale.ROOT);
    String a = author.toLowerCase(Locale.ROOT);
    int lt = a.indexOf('<');
    String name = (lt < 0 ? a : a.substring(0, lt)).trim();
    String email = lt < 0 ? "" : a.substring(lt + 1, a.indexOf('>', lt) < 0 ? a.length() : a.indexOf('>', lt)).trim();
    String local = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
    return p.equals(name) || p.equals(email) || p.equals(local);
  }
}
