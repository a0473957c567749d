package dev.loxiharness.harness.fault;

import dev.loxiharness.harness.backend.Daemon;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/** What a process fault does; the meaning of each is the {@link Daemon}'s, the same on every backend. */
public enum Action {
    KILL(Daemon::kill), STOP(Daemon::stop), START(Daemon::start), RESTART(Daemon::restart);

    private final Function<Daemon, String> apply;

    Action(Function<Daemon, String> apply) {
        this.apply = apply;
    }

    String apply(Daemon d) {
        return apply.apply(d);
    }

    /** The action a command line names ({@code kill}); unknown: an error listing the four. */
    public static Action parse(String word) {
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + word + "' (known: "
                    + String.join(", ", Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT)).toList()) + ", link)");
        }
    }
}
