package dev.loxiharness.loxilb.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The probe kinds: one check each, true when the endpoint answered as expected. */
final class Probes {
    static final int TIMEOUT_MS = 1000;

    private Probes() {
    }

    static boolean check(ProbeTarget t) {
        try {
            return switch (t.type()) {
                case "tcp" -> tcp(t);
                case "udp" -> udp(t);
                case "ping" -> InetAddress.getByName(t.ip()).isReachable(TIMEOUT_MS);
                case "http", "https" -> http(t);
                default -> true;
            };
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean tcp(ProbeTarget t) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(t.ip(), t.port()), TIMEOUT_MS);
            return true;
        }
    }

    /** A closed UDP port answers ICMP port-unreachable; silence counts as up, as upstream treats it. */
    private static boolean udp(ProbeTarget t) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(t.ip(), t.port()));
            s.setSoTimeout(TIMEOUT_MS);
            byte[] req = t.request().getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(req, req.length));
            s.receive(new DatagramPacket(new byte[512], 512));
            return true;
        } catch (PortUnreachableException e) {
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    private static boolean http(ProbeTarget t) throws IOException {
        String path = t.request().isEmpty() ? "/" : (t.request().startsWith("/") ? t.request() : "/" + t.request());
        HttpURLConnection c = (HttpURLConnection) URI.create(t.type() + "://" + t.ip() + ":" + t.port() + path)
                .toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        try {
            if (c.getResponseCode() != 200) {
                return false;
            }
            if (t.response().isEmpty()) {
                return true;
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readNBytes(65536), StandardCharsets.UTF_8).contains(t.response());
            }
        } finally {
            c.disconnect();
        }
    }
}
