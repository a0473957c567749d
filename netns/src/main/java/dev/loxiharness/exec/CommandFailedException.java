package dev.loxiharness.exec;

/** A command exited non-zero or did not finish in time. */
public class CommandFailedException extends RuntimeException {
    private final transient ExecResult result;

    public CommandFailedException(ExecResult result) {
        super(result.toString());
        this.result = result;
    }

    public ExecResult result() {
        return result;
    }
}
