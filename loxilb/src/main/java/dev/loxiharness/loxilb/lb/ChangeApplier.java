package dev.loxiharness.loxilb.lb;

import dev.loxiharness.loxilb.dataplane.Dataplane;
import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.RuleError;
import dev.loxiharness.loxilb.rules.RuleException;
import dev.loxiharness.loxilb.rules.RuleTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of rule changes, in two stages on two threads. The first takes every request
 * waiting (in a burst, also those arriving within a few milliseconds) and applies their changes
 * to the data plane as one transaction, and goes on with the requests that arrived meanwhile. The second takes every batch applied so far and runs
 * {@code afterCommit} (persistence: one disk sync; probes) once for all of them, then answers their
 * requests, in order. So a client gets 200 only when its rule forwards traffic and is on disk, and
 * concurrent clients share the cost of a transaction and of a disk sync, each stage grouping as
 * much as waited while it was busy. If a batch fails, each request's changes are retried alone
 * and only the failing ones are reverted in the table. After {@link #IDLE_MS} without changes,
 * and before it stops, the second stage runs {@code whenIdle} (the rules file is rewritten then,
 * off the path of any request).
 */
public final class ChangeApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);

    private record Pending(List<Change> changes, CompletableFuture<Void> done) {
    }

    /** A batch in the data plane: the changes that went in, and the requests refused with why. */
    private record Applied(List<Pending> batch, List<Change> changes, List<Pending> failed, List<RuntimeException> why) {
    }

    static final long LINGER_MAX_MS = 20;
    static final long LINGER_QUIET_MS = 2;
    static final long IDLE_MS = 1000;
    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());
    private static final Applied STOPPED = new Applied(List.of(), List.of(), List.of(), List.of());

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final BlockingQueue<Applied> applied = new LinkedBlockingQueue<>();
    private final RuleTable table;
    private final Dataplane dataplane;
    private final Consumer<List<Change>> afterCommit;
    private final Runnable whenIdle;
    private final Thread applier;
    private final Thread committer;
    private volatile boolean running = true;

    public ChangeApplier(RuleTable table, Dataplane dataplane, Consumer<List<Change>> afterCommit, Runnable whenIdle) {
        this.table = table;
        this.dataplane = dataplane;
        this.afterCommit = afterCommit;
        this.whenIdle = whenIdle;
        this.applier = daemon(this::applyLoop, "dataplane-applier");
        this.committer = daemon(this::commitLoop, "dataplane-committer");
    }

    private static Thread daemon(Runnable loop, String name) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Queues changes; the future completes once they are applied, or fails with a {@link RuleException}. */
    public CompletableFuture<Void> submit(List<Change> changes) {
        Pending p = new Pending(List.copyOf(changes), new CompletableFuture<>());
        if (!running) {
            p.done().completeExceptionally(new RuleException(RuleError.DATAPLANE, "daemon is shutting down"));
            return p.done();
        }
        queue.add(p);
        return p.done();
    }

    private void applyLoop() {
        boolean stop = false;
        while (!stop) {
            List<Pending> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch);
            if (batch.size() > 1) {
                linger(batch);
            }
            stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                applied.add(apply(batch));
            }
        }
        applied.add(STOPPED);
    }

    /**
     * In a burst (more than one request was waiting), gathers requests while they keep arriving
     * ({@link #LINGER_QUIET_MS} apart, at most {@link #LINGER_MAX_MS}): concurrent clients are
     * still parsing theirs. A lone request goes at once.
     */
    private void linger(List<Pending> batch) {
        long until = System.nanoTime() + LINGER_MAX_MS * 1_000_000L;
        try {
            while (!batch.contains(STOP) && System.nanoTime() < until) {
                Pending next = queue.poll(LINGER_QUIET_MS, TimeUnit.MILLISECONDS);
                if (next == null) {
                    return;
                }
                batch.add(next);
                queue.drainTo(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Applied apply(List<Pending> batch) {
        List<Change> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.changes()));
        List<Pending> failed = new ArrayList<>();
        List<RuntimeException> why = new ArrayList<>();
        try {
            dataplane.apply(all);
        } catch (RuntimeException batchError) {
            LOG.warn("batch of {} changes refused ({}); applying one request at a time", all.size(), batchError.getMessage());
            all.clear();
            for (Pending p : batch) {
                try {
                    dataplane.apply(p.changes());
                    all.addAll(p.changes());
                } catch (RuntimeException e) {
                    LOG.error("data plane refused {}: {}", p.changes(), e.getMessage());
                    for (int i = p.changes().size() - 1; i >= 0; i--) {
                        table.revert(p.changes().get(i));
                    }
                    failed.add(p);
                    why.add(e);
                }
            }
        }
        return new Applied(batch, all, failed, why);
    }

    private void commitLoop() {
        boolean stop = false;
        while (!stop) {
            List<Applied> batches = new ArrayList<>();
            try {
                Applied first = applied.poll(IDLE_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    idle();
                    continue;
                }
                batches.add(first);
            } catch (InterruptedException e) {
                continue;
            }
            applied.drainTo(batches);
            stop = batches.remove(STOPPED);
            if (!batches.isEmpty()) {
                commit(batches);
            }
        }
        idle();
    }

    /** Runs {@code afterCommit} once for every change the batches applied, then answers their requests. */
    private void commit(List<Applied> batches) {
        List<Change> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.changes()));
        try {
            afterCommit.accept(all);
        } catch (RuntimeException e) {
            LOG.error("after-commit step failed: {}", e.getMessage(), e);
        }
        for (Applied b : batches) {
            for (Pending p : b.batch()) {
                int i = b.failed().indexOf(p);
                if (i < 0) {
                    p.done().complete(null);
                } else {
                    p.done().completeExceptionally(new RuleException(RuleError.DATAPLANE, b.why().get(i).getMessage()));
                }
            }
        }
    }

    private void idle() {
        try {
            whenIdle.run();
        } catch (RuntimeException e) {
            LOG.error("idle step failed: {}", e.getMessage(), e);
        }
    }

    /** Applies and commits what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        queue.add(STOP);
        try {
            applier.join(30_000);
            committer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
