package dev.loxiharness.loxilb.dataplane;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * nftables in process, through Debian's {@code libnftables1} (what the {@code nft} binary is built
 * on): a script is one atomic transaction, all or nothing, as with {@code nft -f}, without the
 * cost of starting a process per change (about 10 ms each). The daemon runs in its own network
 * namespace, so the library acts on that namespace's ruleset. One context, used by one thread at
 * a time; it keeps nft's cache of the ruleset between calls.
 */
public final class Nft implements AutoCloseable {
    private static final int OUTPUT_JSON = 1 << 4;

    /** The part of libnftables' API used here ({@code nftables/libnftables.h}). */
    interface LibNftables extends Library {
        Pointer nft_ctx_new(int flags);

        void nft_ctx_free(Pointer ctx);

        int nft_ctx_buffer_output(Pointer ctx);

        int nft_ctx_buffer_error(Pointer ctx);

        String nft_ctx_get_output_buffer(Pointer ctx);

        String nft_ctx_get_error_buffer(Pointer ctx);

        int nft_ctx_output_get_flags(Pointer ctx);

        void nft_ctx_output_set_flags(Pointer ctx, int flags);

        int nft_run_cmd_from_buffer(Pointer ctx, String buf);
    }

    private final LibNftables lib;
    private Pointer ctx;

    public Nft() {
        try {
            // the runtime package ships only the versioned name (libnftables.so is in -dev)
            lib = Native.load("libnftables.so.1", LibNftables.class);
        } catch (UnsatisfiedLinkError e) {
            throw new NftException("cannot load libnftables (Debian package libnftables1): " + e.getMessage(), null);
        }
        ctx = lib.nft_ctx_new(0);
        if (ctx == null) {
            throw new NftException("nft_ctx_new failed", null);
        }
        lib.nft_ctx_buffer_output(ctx);
        lib.nft_ctx_buffer_error(ctx);
    }

    /** Applies the script as one transaction; throws {@link NftException} with nft's message on failure. */
    public void apply(String script) {
        run(script, false);
    }

    /** Runs a read-only command, e.g. {@code list set ip loxilb epstats}, and returns nft's JSON output. */
    public String queryJson(String command) {
        return run(command, true);
    }

    private synchronized String run(String commands, boolean json) {
        if (ctx == null) {
            throw new NftException("nft context is closed", commands);
        }
        int flags = lib.nft_ctx_output_get_flags(ctx);
        lib.nft_ctx_output_set_flags(ctx, json ? flags | OUTPUT_JSON : flags & ~OUTPUT_JSON);
        int rc = lib.nft_run_cmd_from_buffer(ctx, commands);
        // reading a buffer also empties it for the next call
        String out = lib.nft_ctx_get_output_buffer(ctx);
        String err = lib.nft_ctx_get_error_buffer(ctx);
        if (rc != 0) {
            throw new NftException(err == null || err.isBlank() ? "nft failed (" + rc + ")" : err.strip(), commands);
        }
        return out == null ? "" : out;
    }

    @Override
    public synchronized void close() {
        if (ctx != null) {
            lib.nft_ctx_free(ctx);
            ctx = null;
        }
    }
}
