package dev.loxiharness.loxilb.rules;

/** A rule operation refused with one of upstream's error strings, plus a detail for the log. */
public class RuleException extends RuntimeException {
    private final RuleError error;
    private final String detail;

    public RuleException(RuleError error, String detail) {
        super(error.text + ": " + detail);
        this.error = error;
        this.detail = detail;
    }

    public RuleError error() {
        return error;
    }

    /** The {@code result} string of the answer, which clients match on. */
    public String result() {
        return error.detailed() ? error.text + ": " + detail : error.text;
    }

    public String detail() {
        return detail;
    }
}
