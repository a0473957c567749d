package dev.loxiharness.controller.loxilb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one loxilb in step with the {@link RuleStore}, on a thread of its own.
 *
 * <p>Every {@code healthInterval} it lists loxilb's rules ({@code GET /config/loadbalancer/all},
 * kube-loxilb's 2 s liveness check): when a loxilb that could not be reached answers again (it
 * restarted), every rule is posted to it again; a rule we installed that is no longer listed (a
 * restart too quick to notice) is posted again. Every {@code resyncInterval} the endpoints it lists
 * are compared with ours as well. Failed calls are retried with exponential backoff.
 */
public final class LoxilbTarget implements RuleStore.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoxilbTarget.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Calls to loxilb in flight at once (one per rule key). */
    static final int IN_FLIGHT = 8;

    /** What a target knows about its loxilb, for logs, tests and status output. */
    public record Status(String url, Boolean reachable, int installed, int pending) {
    }

    private final LoxilbClient client;
    private final RuleStore store;
    private final Predicate<String> stale;
    private final long healthNanos;
    private final long resyncNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Set<RuleKey> dirty = new LinkedHashSet<>();
    private final Map<RuleKey, LbRule> pendingDeletes = new HashMap<>();
    private final Map<RuleKey, LbRule> applied = new ConcurrentHashMap<>();

    private volatile Boolean alive;
    private volatile boolean running;
    private Thread thread;
    private ExecutorService callers;
    private long backoff = MIN_BACKOFF_NANOS;
    private long retryAt;

    public LoxilbTarget(String url, RuleStore store, Duration healthInterval, Duration resyncInterval, Duration requestTimeout) {
        this(url, store, healthInterval, resyncInterval, requestTimeout, name -> false);
    }

    /**
     * @param stale tells, by rule name, whether a managed rule that is not ours belongs to a Service
     *              that no longer exists (deleted while no controller ran); such rules are deleted at resync
     */
    public LoxilbTarget(String url, RuleStore store, Duration healthInterval, Duration resyncInterval, Duration requestTimeout,
                        Predicate<String> stale) {
        this.client = new LoxilbClient(url, requestTimeout);
        this.store = store;
        this.stale = stale;
        this.healthNanos = healthInterval.toNanos();
        this.resyncNanos = resyncInterval.toNanos();
    }

    public String url() {
        return client.url();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        store.addListener(this);
        markAllDirty();
        callers = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread t = new Thread(r, "loxilb-call " + client.url());
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "loxilb-sync " + client.url());
        thread.setDaemon(true);
        thread.start();
        LOG.info("loxilb {}: syncing load-balancer rules (liveness every {} ms, resync every {} ms)",
                client.url(), TimeUnit.NANOSECONDS.toMillis(healthNanos), TimeUnit.NANOSECONDS.toMillis(resyncNanos));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            t = thread;
        }
        store.removeListener(this);
        signal();
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        callers.shutdownNow();
    }

    public Status status() {
        return locked(() -> new Status(client.url(), alive, applied.size(), dirty.size()));
    }

    @Override
    public void changed(RuleKey key) {
        locked(() -> {
            dirty.add(key);
            wake.signalAll();
        });
    }

    @Override
    public void removed(LbRule old) {
        locked(() -> {
            pendingDeletes.put(old.key(), old);
            dirty.add(old.key());
            wake.signalAll();
        });
    }

    private void signal() {
        locked(wake::signalAll);
    }

    /** Runs {@code action} holding the lock. */
    private void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** What {@code value} gives, taken holding the lock. */
    private <T> T locked(Supplier<T> value) {
        lock.lock();
        try {
            return value.get();
        } finally {
            lock.unlock();
        }
    }

    private void markAllDirty() {
        // The store calls changed() while holding its monitor, so its monitor is taken first and
        // never while holding our lock (the other order deadlocked when a Service changed just as
        // loxilb became reachable).
        List<RuleKey> keys = store.keys();
        locked(() -> {
            dirty.addAll(keys);
            dirty.addAll(pendingDeletes.keySet());
        });
    }

    private void run() {
        long nextProbe = System.nanoTime();
        long nextResync = nextProbe + resyncNanos;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now - nextProbe >= 0) {
                    boolean full = now - nextResync >= 0;
                    probe(full);
                    nextProbe = System.nanoTime() + healthNanos;
                    if (full) {
                        nextResync = nextProbe + resyncNanos;
                    }
                }
                if (Boolean.TRUE.equals(alive) && System.nanoTime() - retryAt >= 0) {
                    drain(nextProbe);
                }
                awaitWork(nextProbe);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("loxilb {}: unexpected error in sync loop; continuing", client.url(), e);
                sleepQuietly();
            }
        }
    }

    private void awaitWork(long nextProbe) throws InterruptedException {
        lock.lock();
        try {
            while (running) {
                long now = System.nanoTime();
                long until = nextProbe;
                boolean canWork = Boolean.TRUE.equals(alive) && !dirty.isEmpty();
                if (canWork) {
                    if (now - retryAt >= 0) {
                        return;
                    }
                    until = Math.min(until, retryAt);
                }
                long wait = until - now;
                if (wait <= 0) {
                    return;
                }
                wake.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    private void probe(boolean full) {
        List<LoxilbClient.RemoteRule> remote;
        try {
            remote = client.list();
        } catch (LoxilbException e) {
            if (!running) {
                return;
            }
            if (e.unreachable()) {
                markUnreachable(e);
            } else {
                // Any HTTP answer means the daemon is up (kube-loxilb's rule); the rules are retried.
                LOG.debug("loxilb {}: listing rules failed: {}", client.url(), e.getMessage());
                markReachable();
            }
            return;
        }
        if (!Boolean.TRUE.equals(alive)) {
            markReachable();
            return;
        }
        Map<RuleKey, LoxilbClient.RemoteRule> byKey = remote.stream()
                .collect(Collectors.toMap(LoxilbClient.RemoteRule::key, r -> r, (a, b) -> a));
        int missing = 0;
        int drifted = 0;
        for (Map.Entry<RuleKey, LbRule> e : applied.entrySet()) {
            LoxilbClient.RemoteRule there = byKey.get(e.getKey());
            if (there == null) {
                missing++;
                forget(e.getKey());
            } else if (full && !there.name().isEmpty() && !there.name().equals(e.getValue().name())) {
                // Someone else's rule on our key (e.g. of a Service deleted while we were down): loxilb
                // would keep its name on an update, so it is deleted and ours posted.
                drifted++;
                locked(() -> pendingDeletes.put(e.getKey(), LbRule.forDelete(e.getKey(), there.name(), there.bgp())));
                forget(e.getKey());
            } else if (full && !there.endpoints().equals(endpointsOf(e.getValue()))) {
                drifted++;
                forget(e.getKey());
            }
        }
        int orphans = 0;
        lock.lock();
        try {
            // A delete still owed for a rule loxilb no longer has is owed no more.
            pendingDeletes.keySet().removeIf(k -> !byKey.containsKey(k) && store.get(k) == null);
            if (full) {
                for (LoxilbClient.RemoteRule r : remote) {
                    if (r.managed() && store.get(r.key()) == null && !pendingDeletes.containsKey(r.key()) && stale.test(r.name())) {
                        pendingDeletes.put(r.key(), LbRule.forDelete(r.key(), r.name(), r.bgp()));
                        dirty.add(r.key());
                        orphans++;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (orphans > 0) {
            LOG.info("loxilb {}: {} rule(s) of Services that no longer exist; deleting them", client.url(), orphans);
        }
        if (missing > 0 || drifted > 0) {
            LOG.warn("loxilb {}: {} rule(s) missing and {} unlike ours (endpoints or name); re-posting them",
                    client.url(), missing, drifted);
        }
    }

    private void forget(RuleKey key) {
        applied.remove(key);
        changed(key);
    }

    private void markUnreachable(LoxilbException e) {
        if (!Boolean.FALSE.equals(alive)) {
            LOG.warn("loxilb {}: unreachable ({}); its rules will be posted again when it answers", client.url(), e.getMessage());
        }
        alive = false;
    }

    private void markReachable() {
        Boolean was = alive;
        alive = true;
        applied.clear();
        markAllDirty();
        backoff = MIN_BACKOFF_NANOS;
        retryAt = System.nanoTime();
        int n = store.size();
        if (Boolean.FALSE.equals(was)) {
            LOG.info("loxilb {}: reachable again; re-posting all {} rule(s)", client.url(), n);
        } else {
            LOG.info("loxilb {}: reachable; installing {} rule(s)", client.url(), n);
        }
    }

    /**
     * Works through the dirty keys until done, a failure, or the next probe is due, {@link #IN_FLIGHT}
     * keys at a time: each key's calls stay in order, different keys go concurrently, so loxilb can
     * commit several rules in one data-plane transaction instead of one per round trip.
     */
    private void drain(long nextProbe) {
        while (running && System.nanoTime() - nextProbe < 0) {
            List<RuleKey> batch = new ArrayList<>();
            lock.lock();
            try {
                Iterator<RuleKey> it = dirty.iterator();
                while (it.hasNext() && batch.size() < IN_FLIGHT) {
                    batch.add(it.next());
                    it.remove();
                }
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty()) {
                return;
            }
            List<Future<?>> calls = new ArrayList<>();
            for (RuleKey key : batch) {
                calls.add(callers.submit(() -> {
                    process(key);
                    return null;
                }));
            }
            LoxilbException failure = null;
            Throwable unexpected = null;
            for (int i = 0; i < batch.size(); i++) {
                try {
                    calls.get(i).get();
                } catch (ExecutionException e) {
                    // every failed key is marked again before anything is thrown, so none is lost
                    changed(batch.get(i));
                    if (e.getCause() instanceof LoxilbException le) {
                        failure = failure == null ? le : failure;
                    } else if (unexpected == null) {
                        unexpected = e.getCause();
                    }
                } catch (InterruptedException e) {
                    batch.subList(i, batch.size()).forEach(this::changed);
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (unexpected != null) {
                throw new IllegalStateException(unexpected);
            }
            if (failure == null) {
                backoff = MIN_BACKOFF_NANOS;
                continue;
            }
            if (!running) {
                return;
            }
            retryAt = System.nanoTime() + backoff;
            LOG.warn("loxilb {}: {} (retrying in {} ms)", client.url(), failure.getMessage(), TimeUnit.NANOSECONDS.toMillis(backoff));
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            if (failure.unreachable()) {
                markUnreachable(failure);
            }
            return;
        }
    }

    private void process(RuleKey key) throws LoxilbException {
        LbRule desired = store.get(key);
        LbRule doomed = locked(() -> pendingDeletes.get(key));
        if (doomed != null) {
            if (desired == null || !doomed.sameIdentity(desired)) {
                client.delete(key, doomed.bgp());
                applied.remove(key);
                LOG.info("loxilb {}: deleted rule {} ({})", client.url(), key, doomed.name());
            }
            locked(() -> pendingDeletes.remove(key, doomed));
        }
        if (desired == null) {
            applied.remove(key);
            return;
        }
        if (desired.equals(applied.get(key))) {
            return;
        }
        client.create(desired);
        applied.put(key, desired);
        LOG.info("loxilb {}: installed rule {} ({}) -> {}", client.url(), key, desired.name(),
                desired.endpoints().stream().map(ep -> ep.endpointIP() + ":" + ep.targetPort() + "*" + ep.weight())
                        .collect(Collectors.joining(", ")));
    }

    private static Set<String> endpointsOf(LbRule rule) {
        Set<String> eps = new TreeSet<>();
        for (LbRule.Endpoint ep : rule.endpoints()) {
            eps.add(ep.endpointIP() + ":" + ep.targetPort());
        }
        return eps;
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "loxilb " + client.url() + " " + Objects.toString(status());
    }
}
