package dev.sancho.maven.docker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file copied into a container after it is created and before it starts: a Compose secret or config whose source
 * is {@code environment:} or {@code content:}, as Compose v2 provides them on a single engine. The content may be a
 * secret, so {@link #toString()} shows neither it nor a digest of it; nothing else of this record prints it.
 *
 * @param target absolute path in the container
 * @param mode   permission bits (Compose's default 0444)
 * @param uid    owner, null = root
 * @param gid    group, null = root
 */
public record ContainerFile(String target, byte[] content, int mode, Integer uid, Integer gid) {

    public ContainerFile {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /**
     * SHA-256 of the content, hex: what the (keyed) config hash and drift digests see instead of the value. Never
     * printed: unsalted, it would let a weak secret be guessed.
     */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerFile f && target.equals(f.target) && java.util.Arrays.equals(content, f.content)
                && mode == f.mode && java.util.Objects.equals(uid, f.uid) && java.util.Objects.equals(gid, f.gid);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(target, java.util.Arrays.hashCode(content), mode, uid, gid);
    }

    /** Never the content nor a digest of it (an unsalted digest of a secret can be cracked): target, mode, owner. */
    @Override
    public String toString() {
        return target + " mode=0" + Integer.toOctalString(mode) + (uid == null ? "" : " uid=" + uid)
                + (gid == null ? "" : " gid=" + gid) + " (" + content.length + " bytes)";
    }

    /** A file of UTF-8 text. */
    public static ContainerFile text(String target, String content, int mode, Integer uid, Integer gid) {
        return new ContainerFile(target, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
    }
}
