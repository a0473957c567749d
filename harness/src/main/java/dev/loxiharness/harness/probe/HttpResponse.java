package dev.loxiharness.harness.probe;

/**
 * What {@code curl} inside a node got: the status ({@code 0} when no response arrived), the body,
 * and curl's error when it failed (e.g. {@code exit 7: Failed to connect ...}).
 */
public record HttpResponse(String url, int status, String body, String error) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        String b = body.strip();
        return url + " -> " + (status == 0 ? "no response (" + error + ")" : status + (b.isEmpty() ? "" : " " + (b.length() > 80 ? b.substring(0, 80) + "..." : b)));
    }
}
