package dev.loxiharness.harness.check;

/** One check's outcome and what was seen, which is printed either way. */
public record CheckResult(String name, boolean passed, String seen, double seconds) {

    public CheckResult(String name, boolean passed, String seen) {
        this(name, passed, seen, -1);
    }

    /** The same result, stamped with when it was reached (seconds since the checks began). */
    public CheckResult at(double s) {
        return new CheckResult(name, passed, seen, s);
    }

    public String line() {
        return (passed ? "PASS" : "FAIL") + "  " + name + (seconds >= 0 ? String.format(" (%.1f s)", seconds) : "")
                + (seen.isBlank() ? "" : "\n        " + seen.strip().replace("\n", "\n        "));
    }
}
