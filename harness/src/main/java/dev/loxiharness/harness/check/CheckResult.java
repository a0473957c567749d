package dev.loxiharness.harness.check;

/** One check's outcome and what was seen, which is printed either way. */
public record CheckResult(String name, boolean passed, String seen) {
    public String line() {
        return (passed ? "PASS" : "FAIL") + "  " + name + (seen.isBlank() ? "" : "\n        " + seen.strip().replace("\n", "\n        "));
    }
}
