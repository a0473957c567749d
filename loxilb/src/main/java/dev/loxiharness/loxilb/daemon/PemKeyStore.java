package dev.loxiharness.loxilb.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Upstream takes a PEM certificate and key ({@code --tls-certificate}, {@code --tls-key}); Jetty
 * wants a KeyStore. The JDK reads PEM certificates itself; keys are PKCS#8 ("BEGIN PRIVATE KEY")
 * or PKCS#1 RSA ("BEGIN RSA PRIVATE KEY"), the two that openssl writes by default. Written by hand
 * rather than pulling in BouncyCastle (several MB) for these few lines.
 */
final class PemKeyStore {
    static final char[] PASSWORD = "loxilb".toCharArray();

    private PemKeyStore() {
    }

    static KeyStore load(Path certificate, Path key) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificate)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certificate);
        }
        String pem = Files.readString(key);
        byte[] der;
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            der = pkcs1ToPkcs8(base64(pem, "RSA PRIVATE KEY"));
        } else if (pem.contains("BEGIN PRIVATE KEY")) {
            der = base64(pem, "PRIVATE KEY");
        } else {
            throw new GeneralSecurityException(key + " holds no PKCS#8 or PKCS#1 RSA private key");
        }
        PrivateKey pk = null;
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
            try {
                pk = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        if (pk == null) {
            throw new GeneralSecurityException("cannot read the private key in " + key);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("loxilb", pk, PASSWORD, chain.toArray(Certificate[]::new));
        return ks;
    }

    private static byte[] base64(String pem, String type) {
        int from = pem.indexOf("-----BEGIN " + type + "-----") + type.length() + 16;
        int to = pem.indexOf("-----END " + type + "-----");
        return Base64.getMimeDecoder().decode(pem.substring(from, to));
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo with the rsaEncryption algorithm. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(header(0x04, pkcs1.length), pkcs1);
        byte[] body = concat(concat(version, algorithm), octets);
        return concat(header(0x30, body.length), body);
    }

    private static byte[] header(int tag, int length) {
        if (length < 128) {
            return new byte[] {(byte) tag, (byte) length};
        }
        if (length < 256) {
            return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        }
        if (length < 65536) {
            return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
