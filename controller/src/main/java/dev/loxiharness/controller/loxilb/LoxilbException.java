package dev.loxiharness.controller.loxilb;

/** A loxilb call that did not succeed: either loxilb answered with an error, or it could not be reached. */
public final class LoxilbException extends Exception {
    private final boolean unreachable;
    private final int status;

    LoxilbException(String message, int status) {
        super(message);
        this.unreachable = false;
        this.status = status;
    }

    LoxilbException(String message, Throwable cause) {
        super(message, cause);
        this.unreachable = true;
        this.status = 0;
    }

    /** True when no HTTP answer came back (connection refused, timeout, ...). */
    public boolean unreachable() {
        return unreachable;
    }

    /** The HTTP status of loxilb's answer, 0 when it could not be reached. */
    public int status() {
        return status;
    }
}
