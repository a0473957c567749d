package dev.loxiharness.harness.probe;

import dev.loxiharness.exec.ExecResult;
import java.util.Optional;

/** A probe's command failed or printed what it should not; the message says which and what it printed. */
public final class ProbeException extends RuntimeException {
    private final transient ExecResult result;

    public ProbeException(String message) {
        this(message, (ExecResult) null);
    }

    /** The command ended badly: {@code result} is how. */
    public ProbeException(String message, ExecResult result) {
        super(message);
        this.result = result;
    }

    public ProbeException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    /** How the probe's command ended, when it ran and failed. */
    public Optional<ExecResult> result() {
        return Optional.ofNullable(result);
    }
}
