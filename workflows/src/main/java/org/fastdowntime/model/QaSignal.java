package org.fastdowntime.model;

/**
 * Payload of {@code qaOk}, {@code qaBad} and {@code signOff}: {@code {"patch":"2211-30-0","by":"alice","note":"…"}}.
 * {@code reason} is read for {@code qaBad} (either field may carry it).
 */
public record QaSignal(String patch, String by, String note, String reason) {}
