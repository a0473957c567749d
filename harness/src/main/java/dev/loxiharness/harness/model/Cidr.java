package dev.loxiharness.harness.model;

/** An IPv4 prefix, parsed once. */
public record Cidr(long address, int length) {

    public static Cidr parse(String s) {
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        int len = slash < 0 ? 32 : Integer.parseInt(s.substring(slash + 1));
        long a = 0;
        for (String octet : ip.split("\\.")) {
            a = (a << 8) | Integer.parseInt(octet);
        }
        return new Cidr(a, len);
    }

    public long mask() {
        return length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
    }

    public long network() {
        return address & mask();
    }

    public boolean contains(Cidr other) {
        return other.length >= length && (other.address & mask()) == network();
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    public static String ip(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    @Override
    public String toString() {
        return ip(address) + "/" + length;
    }
}
