package dev.sancho.maven.plan;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How sancho turns configuration values, which may be secrets, into the short digests it stores in labels
 * ({@code sancho.config-hash}, {@code sancho.config-fields}) and in the names of swarm secrets and configs, so a
 * change is detected without storing the value.
 *
 * <p>An unsalted digest of a secret is not safe to show: a weak password is found offline from a CI log by hashing
 * candidates. So digests are HMAC-SHA256 with a per-project random key that is kept on the engine (see
 * {@code core.DigestKey}) and never printed: without the key, a digest tells nothing about the value, and with the
 * same key the same value gives the same digest, so change detection still works. {@link #id()} names the key (it
 * is derived from it one-way) and is stored next to the digests ({@link Labels#DIGEST_KEY_ID}), so a comparison
 * knows which key made them.
 *
 * <p>{@link #LEGACY} is plain SHA-256, what sancho wrote before keyed digests: it is only computed to compare with
 * the labels of containers and services created by such a version (held in memory, never printed), so upgrading
 * sancho reports no drift that is not there.
 */
public final class Digests {
    /** The unkeyed SHA-256 digests of earlier versions; for comparing with what they labelled. */
    public static final Digests LEGACY = new Digests(null);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;
    private static volatile Digests unsaved;

    private final byte[] key;

    private Digests(byte[] key) {
        this.key = key == null ? null : key.clone();
    }

    /** Digests keyed with {@code key} (at least 16 bytes). */
    public static Digests keyed(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("a digest key has at least 16 bytes");
        }
        return new Digests(key);
    }

    /** A new random key for a project. */
    public static byte[] newKey() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        return k;
    }

    /**
     * A random key of this process, for plans made while the engine holds no key yet (a dry run before the first
     * deploy, tests): their digests are never stored, a real deploy first creates the project's key.
     */
    public static Digests unsaved() {
        Digests d = unsaved;
        if (d == null) {
            synchronized (Digests.class) {
                if (unsaved == null) {
                    unsaved = keyed(newKey());
                }
                d = unsaved;
            }
        }
        return d;
    }

    public boolean isKeyed() {
        return key != null;
    }

    /** A short name of the key, derived one-way (12 hex); null for {@link #LEGACY}. */
    public String id() {
        return key == null ? null : hex("sancho digest key id".getBytes(StandardCharsets.UTF_8), 6);
    }

    /** The first {@code bytes} bytes of the digest of {@code text} (UTF-8), as hex. */
    public String hex(String text, int bytes) {
        return hex(text.getBytes(StandardCharsets.UTF_8), bytes);
    }

    /** The first {@code bytes} bytes (all 32 for 32 or more) of the digest of {@code data}, as hex. */
    public String hex(byte[] data, int bytes) {
        byte[] d = digest(data);
        return HexFormat.of().formatHex(d, 0, Math.min(bytes, d.length));
    }

    private byte[] digest(byte[] data) {
        try {
            if (key == null) {
                return MessageDigest.getInstance("SHA-256").digest(data);
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and HmacSHA256 are required by every Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digests d && Arrays.equals(key, d.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    /** Never the key. */
    @Override
    public String toString() {
        return key == null ? "Digests[sha256]" : "Digests[hmac-sha256 " + id() + "]";
    }
}
