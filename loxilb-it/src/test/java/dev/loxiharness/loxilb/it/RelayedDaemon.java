package dev.loxiharness.loxilb.it;

import static org.awaitility.Awaitility.await;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.netns.Lab;
import dev.loxiharness.netns.Netns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * The Java loxilb alone in a fresh network namespace, reached from the test JVM through a Unix
 * socket that {@code socat} relays to the daemon's port inside the namespace. The JVM stays in the
 * root namespace and no route or address is added there; the socket lets a test send a thousand
 * raw requests (any method, path or bytes) in seconds, where a {@code curl} per request costs a
 * process start each and cannot send malformed HTTP.
 */
final class RelayedDaemon implements AutoCloseable {
    /** One answer: the HTTP status (-1 when the connection closed without one) and the body. */
    record Answer(int status, String body) {
    }

    final Lab lab;
    final Netns ns;
    final Path dir;
    private final Path socket;
    private final ExecutorService io = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "relay-io");
        t.setDaemon(true);
        return t;
    });
    private Process daemon;

    /** A namespace {@code hrdXXX-lb} with {@code extraArgs} given to the daemon; the API answers when this returns. */
    RelayedDaemon(String... extraArgs) throws IOException {
        Assumptions.assumeTrue(Lab.usable() && Paths.onPath("socat"), "needs root with ip, nft and socat");
        lab = Lab.create("hrd");
        dir = Files.createTempDirectory("loxilb-hrd");
        socket = dir.resolve("api.sock");
        try {
            ns = lab.namespace("lb");
            start(extraArgs);
            lab.spawn(ns, dir.resolve("socat.log"), List.of("socat",
                    "UNIX-LISTEN:" + socket + ",fork,backlog=256", "TCP:127.0.0.1:11111"));
            await("loxilb API through the relay").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> send("GET", "/netlox/v1/version", null).status() == 200);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void start(String... extraArgs) {
        List<String> cmd = LoxilbJar.command("192m", "--config-path", dir.resolve("config").toString(), "--loglevel", "info");
        cmd.addAll(List.of(extraArgs));
        daemon = lab.spawn(ns, dir.resolve("loxilb.log"), cmd);
    }

    boolean alive() {
        return daemon.isAlive();
    }

    /** A well-formed request with {@code Connection: close}; {@code body} null sends none. */
    Answer send(String method, String target, String body) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:11111\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\n")
                + "\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head8.length + payload.length];
        System.arraycopy(head8, 0, all, 0, head8.length);
        System.arraycopy(payload, 0, all, head8.length, payload.length);
        return raw(all);
    }

    /** Sends {@code bytes} as they are and reads until the daemon closes (10 s at most). */
    Answer raw(byte[] bytes) {
        CompletableFuture<Answer> f = CompletableFuture.supplyAsync(() -> exchange(bytes), io);
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer within 10 s to " + preview(bytes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("exchange failed for " + preview(bytes), e.getCause());
        }
    }

    private Answer exchange(byte[] bytes) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            try {
                ByteBuffer out = ByteBuffer.wrap(bytes);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            } catch (IOException e) {
                // the daemon may answer (413, 400) and close before it has read everything: read what it said
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            try {
                while (ch.read(in) >= 0) {
                    got.write(in.array(), 0, in.position());
                    in.clear();
                }
            } catch (IOException e) {
                // reset after the answer: keep what arrived
            }
            return parse(got.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(String response) {
        if (!response.startsWith("HTTP/1.")) {
            return new Answer(-1, response);
        }
        int status = Integer.parseInt(response.substring(9, 12));
        int end = response.indexOf("\r\n\r\n");
        String body = end < 0 ? "" : response.substring(end + 4);
        if (response.substring(0, Math.max(end, 0)).toLowerCase().contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, body);
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int len = Integer.parseInt(s.substring(i, eol).trim().split(";")[0], 16);
            if (len == 0) {
                break;
            }
            out.append(s, eol + 2, Math.min(s.length(), eol + 2 + len));
            i = eol + 2 + len + 2;
        }
        return out.toString();
    }

    static String preview(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
        return s.replace("\r\n", "\\r\\n") + (bytes.length > 300 ? "... (" + bytes.length + " bytes)" : "");
    }

    /** {@code nft -j list map ip loxilb NAME} inside the namespace. */
    String nftMap(String name) {
        ExecResult r = ns.exec("nft", "-j", "list", "map", "ip", "loxilb", name);
        return r.orThrow().stdout();
    }

    String log() {
        try {
            return Files.readString(dir.resolve("loxilb.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        io.shutdownNow();
        lab.close();
        Paths.deleteTree(dir);
    }
}
