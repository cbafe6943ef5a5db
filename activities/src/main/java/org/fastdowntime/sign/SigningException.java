package org.fastdowntime.sign;

/** A signature could not be made or read: the key, the agent or the text was wrong (the message says which). */
public final class SigningException extends Exception {
    private static final long serialVersionUID = 1L;

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
