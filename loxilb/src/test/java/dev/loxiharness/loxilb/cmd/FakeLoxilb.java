package dev.loxiharness.loxilb.cmd;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-process stand-in for the loxilb REST API on 127.0.0.1: canned answers, recorded requests. */
final class FakeLoxilb implements AutoCloseable {
    record Request(String method, String uri, String body, Map<String, List<String>> headers) {
    }

    record Answer(int status, String body) {
    }

    /** What one loxicmd run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeLoxilb() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String uri = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            requests.add(new Request(method, uri, new String(in, StandardCharsets.UTF_8),
                    Map.copyOf(exchange.getRequestHeaders())));
            Answer a = answers.getOrDefault(method + " " + exchange.getRequestURI().getRawPath(),
                    answers.getOrDefault(method + " *", new Answer(404, "{\"code\":404,\"message\":\"not found\"}")));
            byte[] out = (a.body() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    /** Answers {@code method} on {@code path} (e.g. {@code /netlox/v1/config/loadbalancer/all}, or {@code *}). */
    FakeLoxilb answer(String method, String path, int status, String body) {
        answers.put(method + " " + path, new Answer(status, body));
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Runs loxicmd against this server ({@code -s 127.0.0.1 -p <port>} put before {@code args}). */
    Run loxicmd(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "-s";
        all[1] = "127.0.0.1";
        all[2] = "-p";
        all[3] = Integer.toString(port());
        System.arraycopy(args, 0, all, 4, args.length);
        return run(Map.of(), all);
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = LoxicmdMain.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
