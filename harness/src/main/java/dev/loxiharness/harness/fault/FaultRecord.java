package dev.loxiharness.harness.fault;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One fault as it was done: when, where ({@code lb}, {@code pod/default/nginx}), on what
 * ({@code loxilb}, {@code link eth0}) and what exactly was done ({@code SIGKILL pid 4242}), so a
 * chaos script's output is its own record and recovery can be measured from {@link #at}.
 */
public record FaultRecord(Instant at, String target, String subject, String done) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** {@code 13:52:01.123  lb  loxilb  SIGKILL pid 4242}. */
    public String line() {
        return TIME.format(at) + "  " + target + "  " + subject + "  " + done;
    }

    @Override
    public String toString() {
        return line();
    }
}
