package dev.sancho.maven.core;

import dev.sancho.maven.common.ConfigException;
import java.util.Locale;

/**
 * {@code sancho.backup} on a deploy: when it backs up the services with {@code x-sancho-backup} (infrastructure whose
 * container runs) before it changes anything.
 */
public enum BackupMode {
    /** Before a deploy that runs a one-shot job (a migration): the default. */
    AUTO,
    /** Before every deploy. */
    ALWAYS,
    /** Never (the deploy says so when it runs a job of a stack with backups). */
    SKIP;

    public static BackupMode parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("parameter backup (sancho.backup) on sancho:deploy: \"" + value + "\" is not"
                    + " auto, always or skip");
        }
    }
}
