package org.fastdowntime.model;

import java.util.List;

/**
 * The checks that passed (a failed check fails the activity with PREFLIGHT_FAILED or
 * FRAGILE_USER_BUSY).
 */
public record PreflightReport(List<String> passed) {}
