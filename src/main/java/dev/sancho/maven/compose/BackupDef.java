package dev.sancho.maven.compose;

import java.util.List;

/**
 * A service's {@code x-sancho-backup}: how its data is dumped and restored by the database's own tool. Commands are
 * exec form and run inside the service's container (the dump writes to stdout, the restore reads stdin); a preset
 * ({@code postgres}, {@code mysql}, {@code mariadb}) is resolved here from the service's environment, so what runs
 * can be printed.
 *
 * @param kind          {@code postgres}, {@code mysql}, {@code mariadb} or {@code custom}
 * @param check         run in the source right after the dump and in the restored copy: both must exit with 0 and
 *                      print the same output (the presets print the number of tables); empty = the restore's exit
 *                      code alone proves the copy
 * @param ready         run in the throwaway copy until it exits with 0, before the restore; empty = the service's
 *                      healthcheck, else nothing
 * @param keep          how many proven backups of this service are kept
 * @param atomicRestore whether a failed restore leaves the database as it was (the PostgreSQL preset restores in
 *                      one transaction), for the message of a failed restore
 * @param line          line of {@code x-sancho-backup} in the compose file, for messages
 */
public record BackupDef(String kind, List<String> dump, List<String> restore, List<String> check,
        List<String> ready, int keep, boolean atomicRestore, int line) {

    public static final int DEFAULT_KEEP = 7;

    public BackupDef {
        dump = List.copyOf(dump);
        restore = List.copyOf(restore);
        check = check == null ? List.of() : List.copyOf(check);
        ready = ready == null ? List.of() : List.copyOf(ready);
    }
}
