/**
 * The monthly process's release engineering: git (pending db-stable revisions, the merge, the
 * revision's tree), RC mode's state file, the landing hook, and the monthly activities.
 */
package org.fastdowntime.release;
