package dev.sancho.maven.compose;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's byte sizes ({@code mem_limit}, {@code shm_size}, ...): plain bytes ({@code 1073741824}), or a number
 * with a binary unit {@code b k m g t p}, optionally followed by {@code b} or {@code ib}, in any case:
 * {@code 512m}, {@code 1g}, {@code 1024k}, {@code 1.5GB}, {@code 64MiB}. Units are powers of 1024, as in Compose
 * and the docker CLI.
 */
public final class ByteSize {
    private ByteSize() {}

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp])?(?:i?b)?");

    /** The size in bytes; {@link IllegalArgumentException} with a message for the user when it is none. */
    public static long parse(String text) {
        String value = text == null ? "" : text.strip();
        Matcher m = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + value + "\" is not a size: write bytes, or a number with b, k,"
                    + " m or g (e.g. 512m, 1g, 1024k)");
        }
        int shift = m.group(2) == null ? 0 : 10 * ("kmgtp".indexOf(m.group(2)) + 1);
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift));
        try {
            return bytes.toBigInteger().longValueExact(); // a fraction of a byte is dropped, like Compose
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + value + "\" is too large a size");
        }
    }
}
