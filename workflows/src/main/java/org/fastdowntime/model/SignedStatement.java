package org.fastdowntime.model;

/**
 * A signed word as it travels: the statement's canonical text and its OpenSSH signature ({@code SSHSIG}, armored),
 * e.g. a monthly's {@code qaOkSigned} ({@link RevisionStatement}).
 */
public record SignedStatement(String statement, String signature) {}
