package org.fastdowntime.model;

import java.util.Locale;

/** Whether a person (an approver's name) is the author git recorded ({@code Name <email>}). */
public final class Authors {
    private Authors() {}

    /** The git name, the whole email or its local part, compared without case. */
    public static boolean wrote(String author, String person) {
        if (author == null || person == null || person.isBlank()) {
            return false;
        }
        String p = person.trim().toLowerCase(Locale.ROOT);
        String a = author.toLowerCase(Locale.ROOT);
        int lt = a.indexOf('<');
        int gt = lt < 0 ? -1 : a.indexOf('>', lt);
        String name = (lt < 0 ? a : a.substring(0, lt)).trim();
        String email =
                lt < 0 ? "" : a.substring(lt + 1, gt < 0 ? a.length() : gt).trim();
        String local = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
        return p.equals(name) || p.equals(email) || p.equals(local);
    }
}
