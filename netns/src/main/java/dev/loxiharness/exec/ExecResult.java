package dev.loxiharness.exec;

import java.util.List;

/** What a finished command printed and how it ended. */
public record ExecResult(List<String> argv, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result, or throws with the command line and its stderr when it failed. */
    public ExecResult orThrow() {
        if (!ok()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", argv) + " -> exit " + exitCode
                + (stderr.isBlank() ? "" : ": " + stderr.strip());
    }
}
