package dev.sancho.maven.docker;

/**
 * An image reference split into name, tag and digest, for the pull API, which takes the name and the tag (or the
 * digest) apart. A {@code :} only starts a tag after the last {@code /} ({@code localhost:5000/app} has none).
 *
 * @param repository the name without tag and digest, e.g. {@code localhost:5000/team/app}
 * @param tag        null when the reference has none
 * @param digest     e.g. {@code sha256:...}; null when the reference has none
 */
record ImageReference(String repository, String tag, String digest) {

    static ImageReference parse(String reference) {
        int at = reference.indexOf('@');
        String nameAndTag = at >= 0 ? reference.substring(0, at) : reference;
        String digest = at >= 0 ? reference.substring(at + 1) : null;
        int colon = nameAndTag.lastIndexOf(':');
        if (colon > nameAndTag.lastIndexOf('/')) {
            return new ImageReference(nameAndTag.substring(0, colon), nameAndTag.substring(colon + 1), digest);
        }
        return new ImageReference(nameAndTag, null, digest);
    }

    /** The pull API's {@code fromImage}: the name; with a digest, everything before it (a tag there stays). */
    String pullName() {
        return digest != null && tag != null ? repository + ":" + tag : repository;
    }

    /** The pull API's {@code tag}: the digest when there is one, else the tag, else {@code latest}. */
    String pullTag() {
        if (digest != null) {
            return digest;
        }
        return tag == null ? "latest" : tag;
    }
}
