package dev.loxiharness.loxilb.dataplane;

/** nft refused a transaction; nothing of it was applied. */
public class NftException extends RuntimeException {
    private final transient String script;

    public NftException(String message, String script) {
        super(message);
        this.script = script;
    }

    /** The script nft refused, for the log. */
    public String script() {
        return script;
    }
}
