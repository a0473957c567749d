package dev.loxiharness.harness.graph;

import java.util.Locale;

/**
 * How a BGP session looks on the diagram, from what its speakers say: Established (green), on its
 * way up (Active, Connect, OpenSent, OpenConfirm: amber), down (Idle, no neighbour, a speaker that
 * does not answer: red), or not known because nothing runs (a file before {@code up}: grey dashed).
 */
public enum SessionState {
    ESTABLISHED("#2e7d32", "solid"),
    CONNECTING("#ef8f00", "solid"),
    DOWN("#c62828", "solid"),
    UNKNOWN("#9e9e9e", "dashed");

    private final String colour;
    private final String style;

    SessionState(String colour, String style) {
        this.colour = colour;
        this.style = style;
    }

    public String colour() {
        return colour;
    }

    /** The DOT line style. */
    public String style() {
        return style;
    }

    /** The worse of the two: DOWN before CONNECTING before ESTABLISHED; UNKNOWN only when both are. */
    public SessionState worse(SessionState other) {
        if (this == UNKNOWN) {
            return other;
        }
        if (other == UNKNOWN) {
            return this;
        }
        return rank(this) >= rank(other) ? this : other;
    }

    private static int rank(SessionState s) {
        return switch (s) {
            case ESTABLISHED -> 0;
            case CONNECTING -> 1;
            default -> 2;
        };
    }

    /**
     * A state as GoBGP names it ({@code ESTABLISHED}, {@code ACTIVE}, ...) or as BIRD's
     * {@code show protocols} info column starts ({@code Established}, {@code Active}, {@code Idle}).
     */
    public static SessionState of(String said) {
        String s = said == null ? "" : said.trim().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return switch (s) {
            case "ESTABLISHED" -> ESTABLISHED;
            case "ACTIVE", "CONNECT", "OPENSENT", "OPENCONFIRM", "PASSIVE" -> CONNECTING;
            default -> DOWN;
        };
    }
}
