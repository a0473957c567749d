package dev.loxiharness.apiserver;

/** An IPv4 prefix such as the service CIDR 10.233.0.0/18. */
record Ipv4Cidr(long base, int prefixLength) {

    static Ipv4Cidr parse(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
        }
        int length = Integer.parseInt(parts[1]);
        if (length < 1 || length > 30) {
            throw new IllegalArgumentException("prefix length out of range (1-30): " + cidr);
        }
        long mask = (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
        return new Ipv4Cidr(toLong(parts[0]) & mask, length);
    }

    long size() {
        return 1L << (32 - prefixLength);
    }

    /** The address at offset from the network address. */
    String address(long offset) {
        long value = base + offset;
        return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
    }

    boolean contains(String address) {
        try {
            long value = toLong(address);
            return value > base && value < base + size() - 1;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long toLong(String address) {
        String[] octets = address.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        long value = 0;
        for (String octet : octets) {
            int part = Integer.parseInt(octet);
            if (part < 0 || part > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = (value << 8) | part;
        }
        return value;
    }

    @Override
    public String toString() {
        return address(0) + "/" + prefixLength;
    }
}
