package dev.loxiharness.harness.probe;

/** A probe's command failed or printed what it should not; the message says which and what it printed. */
public final class ProbeException extends RuntimeException {
    public ProbeException(String message) {
        super(message);
    }

    public ProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
