package dev.loxiharness.apiserver;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One watch. The store delivers its changes of the watched collection here, and this forwards them
 * to the client over whatever the client opened: a WebSocket (fabric8
 * informers) or a chunked HTTP response (kubectl, client-go). On the way it does what the store
 * does not: drops the store's replay of objects the client already has from its list (ADDED at or
 * below the requested resourceVersion), applies label and field selectors with the real server's
 * transitions (an object that starts to match arrives as ADDED, one that stops matching as
 * DELETED), and renders objects as Table rows when kubectl asked for them.
 */
final class WatchStream {
    /** Where events go: one JSON text per event. */
    interface Sink {
        void write(String event);

        /** True when the client reads too slowly; the watch is then ended, as the real server does. */
        boolean full();

        void end();

        /** kubectl and client-go: one JSON object per line of a chunked response. */
        static Sink of(HttpServerResponse response) {
            return new Sink() {
                @Override
                public void write(String event) {
                    response.write(event + "\n");
                }

                @Override
                public boolean full() {
                    return response.writeQueueFull();
                }

                @Override
                public void end() {
                    if (!response.ended() && !response.closed()) {
                        response.end();
                    }
                }
            };
        }

        /** fabric8 informers: one text message per event. */
        static Sink of(ServerWebSocket socket) {
            return new Sink() {
                @Override
                public void write(String event) {
                    socket.writeTextMessage(event);
                }

                @Override
                public boolean full() {
                    return socket.writeQueueFull();
                }

                @Override
                public void end() {
                    if (!socket.isClosed()) {
                        socket.close();
                    }
                }
            };
        }
    }

    private final Sink sink;
    private final Selector selector;
    private final long sinceResourceVersion;
    private final UnaryOperator<JsonNode> render;
    private final Set<String> heldByClient = new HashSet<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Consumer<WatchStream> onStop = w -> {
    };

    WatchStream(Sink sink, Selector selector, long sinceResourceVersion, UnaryOperator<JsonNode> render) {
        this.sink = sink;
        this.selector = selector;
        this.sinceResourceVersion = sinceResourceVersion;
        this.render = render;
    }

    /** {@code whenStopped} runs once when the stream ends (client gone, timeout, server stopping). */
    void onStop(Consumer<WatchStream> whenStopped) {
        this.onStop = whenStopped;
    }

    /** Ends the stream. */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            sink.end();
            onStop.accept(this);
        }
    }

    /**
     * One change of the store ({@code ADDED}, {@code MODIFIED}, {@code DELETED}) as the client should
     * see it; false once the stream has ended.
     */
    synchronized boolean deliver(String type, JsonNode object) {
        if (stopped.get()) {
            return false;
        }
        String key = Json.text(object, "metadata", "namespace") + "/" + Json.text(object, "metadata", "name");
        boolean held = heldByClient.contains(key);
        String forwarded;
        if ("DELETED".equals(type)) {
            if (!heldByClient.remove(key)) {
                return true;
            }
            forwarded = "DELETED";
        } else if (selector.test(object)) {
            heldByClient.add(key);
            if (!held && "ADDED".equals(type) && resourceVersion(object) <= sinceResourceVersion) {
                return true; // the client listed it already
            }
            forwarded = held ? "MODIFIED" : "ADDED";
        } else if (heldByClient.remove(key)) {
            forwarded = "DELETED";
        } else {
            return true;
        }
        if (sink.full()) {
            stop();
            return false;
        }
        ObjectNode out = Json.object().put("type", forwarded);
        out.set("object", render.apply(object));
        sink.write(Json.write(out));
        return true;
    }

    private static long resourceVersion(JsonNode object) {
        try {
            return Long.parseLong(Json.text(object, "metadata", "resourceVersion"));
        } catch (NumberFormatException | NullPointerException e) {
            return Long.MAX_VALUE;
        }
    }
}
