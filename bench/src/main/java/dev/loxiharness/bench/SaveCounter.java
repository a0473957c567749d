package dev.loxiharness.bench;

import dev.loxiharness.loxilb.store.RuleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the daemon's durable writes of its rules by watching its config directory with inotify:
 * one append to {@code lbconfig.txt.journal} per group-committed batch, or a rewrite of
 * {@code lbconfig.txt} (a fresh {@code lbconfig.txt.tmp} renamed) when the journal outgrows it. So
 * this is the number of batches, seen without touching the daemon (a lower bound: inotify merges
 * back-to-back identical events that were not read yet).
 */
final class SaveCounter implements AutoCloseable {
    private final WatchService watch;
    private final Thread thread;
    private final AtomicInteger saves = new AtomicInteger();
    private volatile boolean running = true;

    SaveCounter(Path dir) {
        try {
            watch = FileSystems.getDefault().newWatchService();
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, "save-counter");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        String tmp = RuleStore.FILE + ".tmp";
        while (running) {
            WatchKey key;
            try {
                key = watch.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            if (key == null) {
                continue;
            }
            key.pollEvents().forEach(e -> {
                if (e.context() instanceof Path p
                        && (e.kind() == StandardWatchEventKinds.ENTRY_CREATE && p.toString().equals(tmp)
                        || e.kind() == StandardWatchEventKinds.ENTRY_MODIFY && p.toString().equals(RuleStore.JOURNAL))) {
                    saves.addAndGet(e.count());
                }
            });
            key.reset();
        }
    }

    /** Writes seen so far (waits briefly for events still queued). */
    int count() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return saves.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
            watch.close();
        } catch (IOException e) {
            // nothing to clean up beyond the watch itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
