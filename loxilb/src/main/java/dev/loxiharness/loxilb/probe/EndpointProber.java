package dev.loxiharness.loxilb.probe;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes endpoints on a schedule and reports transitions: down after {@code retries} failures in a
 * row, up again after one success. Endpoints start up, as upstream's do.
 */
public final class EndpointProber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointProber.class);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "endpoint-prober");
        t.setDaemon(true);
        return t;
    });
    private final BiConsumer<String, Boolean> onTransition;
    private final Map<ProbeTarget, ScheduledFuture<?>> tasks = new HashMap<>();
    private final Map<ProbeTarget, State> states = new ConcurrentHashMap<>();

    /** What is known of one probe target, for GET /config/endpoint/all. */
    public static final class State {
        volatile boolean up = true;
        volatile int failures;

        public boolean up() {
            return up;
        }
    }

    /** {@code onTransition} receives the endpoint ({@code ip:port}) and whether it is now up. */
    public EndpointProber(BiConsumer<String, Boolean> onTransition) {
        this.onTransition = onTransition;
    }

    /** Probes exactly {@code wanted} from now on: new targets start, missing ones stop. */
    public synchronized void sync(Collection<ProbeTarget> wanted) {
        Set<ProbeTarget> want = Set.copyOf(wanted);
        tasks.entrySet().removeIf(e -> {
            if (!want.contains(e.getKey())) {
                e.getValue().cancel(false);
                states.remove(e.getKey());
                return true;
            }
            return false;
        });
        for (ProbeTarget t : want) {
            tasks.computeIfAbsent(t, k -> {
                states.put(k, new State());
                long every = Math.max(1, k.intervalSeconds());
                return scheduler.scheduleWithFixedDelay(() -> probe(k), 0, every, TimeUnit.SECONDS);
            });
        }
    }

    private void probe(ProbeTarget t) {
        State s = states.get(t);
        if (s == null) {
            return;
        }
        boolean ok = Probes.check(t);
        if (ok) {
            s.failures = 0;
            if (!s.up) {
                s.up = true;
                LOG.info("endpoint {} is up again ({} probe)", t.endpoint(), t.type());
                onTransition.accept(t.endpoint(), true);
            }
        } else if (++s.failures >= Math.max(1, t.retries()) && s.up) {
            s.up = false;
            LOG.info("endpoint {} is down after {} failed {} probes", t.endpoint(), s.failures, t.type());
            onTransition.accept(t.endpoint(), false);
        }
    }

    public Map<ProbeTarget, State> states() {
        return new LinkedHashMap<>(states);
    }

    @Override
    public synchronized void close() {
        tasks.values().forEach(f -> f.cancel(true));
        tasks.clear();
        scheduler.shutdownNow();
    }
}
