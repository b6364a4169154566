package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.BackupDef;
import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerOptions;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.ExecResult;
import dev.sancho.maven.docker.StreamedFile;
import dev.sancho.maven.docker.VolumeInfo;
import dev.sancho.maven.plan.ContainerSpecs;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Safety;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Backups of infrastructure data by the database's own tool ({@code x-sancho-backup}), kept in the volume
 * {@code <project>_backups} on the engine's host, and counted only once proven restorable.
 *
 * <p>How a backup travels: the dump command runs in the database container with its stdout redirected to a file
 * there; that file is streamed (engine archive API, a 1 MiB pipe in this process: flat heap whatever its size, its
 * SHA-256 measured on the way) into a scratch container that mounts the backups volume; the scratch container is a
 * throwaway copy of the database (same image and environment, every data mount a tmpfs, no network of the stack)
 * where the restore command replays it and the check runs. Only then is the backup's index file written: what is
 * listed is proven. The engine API cannot end an exec's stdin, so a file, not a pipe, feeds the restore.
 */
public final class Backups {
    private Backups() {}

    /** Where the backups volume is mounted in scratch containers. */
    public static final String DIR = "/sancho-backups";
    private static final String INCOMING = DIR + "/incoming";
    private static final String TMP = "/tmp";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    /**
     * @param timeout      how long one dump, restore or check may run
     * @param readyTimeout how long the throwaway copy may take to accept the restore
     */
    public record Options(Duration timeout, Duration readyTimeout, List<String> maskedVariables) {
        public static final Options DEFAULTS = new Options(Duration.ofHours(2), Duration.ofMinutes(3), List.of());

        public Options {
            maskedVariables = maskedVariables == null ? List.of() : List.copyOf(maskedVariables);
        }
    }

    public static String volumeName(String project) {
        return project + "_backups";
    }

    /** The infrastructure services with {@code x-sancho-backup}, in compose order. */
    public static List<StackService> defined(Stack stack) {
        return stack.infrastructure().stream().filter(s -> s.service().backup() != null).toList();
    }

    /**
     * The service a backup or a restore is for: an infrastructure service with {@code x-sancho-backup}; one line
     * naming what is wrong otherwise.
     */
    public static StackService requireDefined(Stack stack, String service) {
        StackService s = stack.service(service).orElseThrow(() -> new ConfigException("service " + service
                + " is not in the compose file (services with x-sancho-backup: " + names(defined(stack)) + ")"));
        if (!s.infra() || s.service().backup() == null) {
            throw new ConfigException("service " + service + " has no x-sancho-backup" + (s.infra() ? ""
                    : " and is not infrastructure") + " (services with x-sancho-backup: " + names(defined(stack))
                    + ")");
        }
        return s;
    }

    private static String names(List<StackService> services) {
        return services.isEmpty() ? "none" : services.stream().map(StackService::name)
                .collect(Collectors.joining(", "));
    }

    /**
     * Takes one backup of {@code service} and proves it: the core step {@code sancho:backup}, a deploy before its
     * one-shot job and {@code sancho:upgrade} call. The caller holds the deploy lock. Keeps the newest {@code keep}
     * proven backups of the service. Throws {@link CheckFailedException} (one line) when the dump, its storage, the
     * restore into the throwaway copy or the check fails: nothing is counted then, and nothing of it is left.
     *
     * @param reason why it is taken ({@code sancho:backup}, {@code before job migrate of deploy 42}), recorded
     */
    public static BackupRecord take(DockerEngine engine, Stack stack, String service, String reason,
            Options options, Log log) {
        StackService s = requireDefined(stack, service);
        BackupDef def = s.service().backup();
        SecretMask mask = SecretMask.of(stack, options.maskedVariables());
        ContainerInfo db = engine.findContainer(s.containerName()).orElseThrow(() -> new CheckFailedException(
                "cannot back up " + service + ": its container " + s.containerName() + " does not exist"
                        + " (mvn sancho:deploy or sancho:recover creates it); nothing was changed"));
        if (!db.running()) {
            throw new CheckFailedException("cannot back up " + service + ": its container " + db.name() + " is "
                    + db.state() + ", not running (docker start " + db.name() + "); nothing was changed");
        }
        String current = StateReader.history(engine, stack.project()).current().map(DeployHistory.Deploy::id)
                .orElse(null);
        Instant at = engine.clock();
        String id = (service + "-" + ID_TIME.format(at)).toLowerCase(Locale.ROOT);
        long started = Time.nanoTime();
        log.info("Backup " + id + " of " + db.name() + " (" + def.kind() + ": " + String.join(" ", def.dump()) + ")");

        // 1. the dump, into a file in the database container: a failing command stores nothing anywhere
        String tmp = TMP + "/sancho-backup-" + id + ".dump";
        ExecResult dumped = engine.exec(db.id(), redirectOut(tmp, def.dump()), options.timeout());
        if (dumped.exitCode() != 0) {
            removeQuietly(engine, db.id(), tmp);
            throw new CheckFailedException("backup of " + service + " failed: the dump command (" + def.dump().get(0)
                    + ") in " + db.name() + " " + outcome(dumped, options.timeout()) + lastLine(mask, dumped)
                    + "; nothing was stored");
        }
        String sourceCheck = null;
        if (!def.check().isEmpty()) {
            ExecResult c = engine.exec(db.id(), def.check(), options.timeout());
            if (c.exitCode() != 0) {
                removeQuietly(engine, db.id(), tmp);
                throw new CheckFailedException("backup of " + service + " failed: its check (" + def.check().get(0)
                        + ") in " + db.name() + " " + outcome(c, options.timeout()) + lastLine(mask, c)
                        + "; nothing was stored");
            }
            sourceCheck = c.output().strip();
        }

        // 2. storage and the throwaway copy
        ensureVolume(engine, stack, log);
        removeLeftovers(engine, stack, log);
        String scratchName = Safety.scratchName(stack.project(), id);
        String scratch = engine.createContainer(scratchSpec(engine, stack, s, db.imageId(), scratchName, id, true));
        String part = id + ".dump";
        try {
            StreamedFile file;
            try {
                // into the volume's root, as incoming/<id>.dump: the engine creates the missing directory from the
                // archive, while a PUT into a directory that does not exist yet is a 404
                file = engine.streamFile(db.id(), tmp, scratch, DIR, "incoming/" + part);
            } catch (DockerOperationException e) {
                // what the engine wrote before the storage failed is not a backup: it goes now, not at the next one
                boolean removed = removePartial(engine, scratch, INCOMING + "/" + part);
                throw storageFailed(service, volumeName(stack.project()), mask.apply(e.getMessage()), removed);
            } finally {
                removeQuietly(engine, db.id(), tmp);
            }
            log.info("  dumped " + BackupRecord.human(file.size()) + " in " + seconds(started) + " s, sha256 "
                    + file.sha256().substring(0, 12) + "; proving it in a throwaway copy");
            engine.startContainer(scratch);
            // what a killed backup left in incoming/ was never proven: it goes (under the deploy lock, so no other
            // backup is writing there)
            engine.exec(scratch, List.of("sh", "-c", "cd " + INCOMING + " && for f in *; do [ \"$f\" = " + part
                    + " ] || rm -f \"$f\"; done"), Duration.ofMinutes(1));
            awaitReady(engine, scratch, scratchName, s, def, options, mask, service);
            ExecResult restored = engine.exec(scratch, redirectIn(INCOMING + "/" + part, def.restore()),
                    options.timeout());
            if (restored.exitCode() != 0) {
                throw notProven(service, id, "its restore (" + def.restore().get(0) + ") into a throwaway copy "
                        + outcome(restored, options.timeout()) + lastLine(mask, restored));
            }
            String copyCheck = null;
            if (!def.check().isEmpty()) {
                ExecResult c = engine.exec(scratch, def.check(), options.timeout());
                if (c.exitCode() != 0) {
                    throw notProven(service, id, "its check (" + def.check().get(0) + ") in the restored copy "
                            + outcome(c, options.timeout()) + lastLine(mask, c));
                }
                copyCheck = c.output().strip();
                if (!copyCheck.equals(sourceCheck)) {
                    throw notProven(service, id, "its check in the restored copy printed \"" + mask.apply(copyCheck)
                            + "\", the source \"" + mask.apply(sourceCheck) + "\"");
                }
            }
            BackupRecord record = new BackupRecord(id, service, db.name(), db.imageId(), def.kind(), current, at,
                    file.size(), file.sha256(), copyCheck, reason);
            // the index file makes it count: written first into incoming/ (which read() never lists and the next
            // backup empties), then both renamed in place, so a full volume leaves no half-written index behind
            String indexPart = INCOMING + "/" + id + ".properties";
            try {
                engine.copyToContainer(scratch, List.of(ContainerFile.text(indexPart, record.toProperties(), 0600,
                        null, null)));
            } catch (DockerOperationException e) {
                boolean removed = removePartial(engine, scratch, indexPart);
                throw storageFailed(service, volumeName(stack.project()), "its index file: "
                        + mask.apply(e.getMessage()), removed);
            }
            ExecResult moved = engine.exec(scratch, List.of("sh", "-c", "mkdir -p " + DIR + "/dumps " + DIR
                    + "/index && mv " + INCOMING + "/" + part + " " + record.dumpFile() + " && mv " + indexPart + " "
                    + record.indexFile()), Duration.ofMinutes(1));
            if (moved.exitCode() != 0) {
                removeQuietly(engine, scratch, indexPart);
                removeQuietly(engine, scratch, record.dumpFile());
                throw notProven(service, id, "the proven dump could not be moved in place: " + moved.output().strip());
            }
            prune(engine, stack, scratch, service, def.keep(), log);
            log.info("Backup " + id + " of " + service + " is proven (restored into a throwaway copy"
                    + (copyCheck == null ? "" : ", check " + copyCheck + " = source") + "): "
                    + BackupRecord.human(file.size()) + " in volume " + volumeName(stack.project()) + ", "
                    + seconds(started) + " s");
            return record;
        } catch (RuntimeException e) {
            // nothing half-done stays: the unproven dump goes with its scratch copy's view of the volume
            if (engine.inspectContainer(scratch).map(ContainerInfo::running).orElse(false)) {
                removeQuietly(engine, scratch, INCOMING + "/" + part);
            }
            throw e;
        } finally {
            removeScratch(engine, stack, scratch, log);
        }
    }

    /** What {@code sancho:backup} did: the backups it took (or, asked to copy an existing one, that one) and copies. */
    public record Result(List<BackupRecord> backups, boolean taken, List<java.nio.file.Path> copies) {
        public Result {
            backups = List.copyOf(backups);
            copies = List.copyOf(copies);
        }
    }

    /**
     * {@code sancho:backup}: one proven backup of each service named (empty: each with {@code x-sancho-backup}),
     * under the deploy lock, so it never races a deploy or a restore; with {@code copy}, each one taken is then copied
     * to a local file ({@link BackupCopy}), or, when {@code copy} names an existing backup, only that one is copied.
     */
    public static Result run(DockerEngine engine, Stack stack, List<String> services, Options options,
            dev.sancho.maven.core.LockOptions lock, BackupCopy.Request copy, boolean dryRun, Log log) {
        Ownership.require(engine, stack, false, log);
        if (copy != null && copy.backupId() != null) {
            BackupCopy.precheck(copy, 1);
            if (dryRun) {
                log.info("  copy     backup " + copy.backupId() + " from volume " + volumeName(stack.project())
                        + " -> " + BackupCopy.destination(copy, copy.backupId()) + " (SHA-256 checked)");
                log.info("Dry run: nothing changed.");
                return new Result(List.of(), false, List.of());
            }
            return Locked.run(engine, stack, lock, "deploy the stack first", log, () -> {
                BackupRecord b = BackupCopy.find(list(engine, stack, log), copy.backupId());
                return new Result(List.of(b), false, List.of(BackupCopy.copy(engine, stack, b, copy, log)));
            });
        }
        List<StackService> chosen = services == null || services.isEmpty() ? defined(stack)
                : services.stream().map(n -> requireDefined(stack, n)).toList();
        if (chosen.isEmpty()) {
            throw new ConfigException("no service of project " + stack.project() + " has x-sancho-backup: add"
                    + " x-sancho-backup: postgres (or mysql, mariadb, or {dump: [...], restore: [...]}) to the database"
                    + " service in the compose file");
        }
        if (copy != null) {
            BackupCopy.precheck(copy, chosen.size());
        }
        if (dryRun) {
            for (StackService s : chosen) {
                BackupDef d = s.service().backup();
                log.info("  backup   " + s.containerName() + ": " + String.join(" ", d.dump()) + " -> volume "
                        + volumeName(stack.project()) + "; proven by " + String.join(" ", d.restore())
                        + " into a throwaway copy" + (d.check().isEmpty() ? "" : " and its check") + "; keep "
                        + d.keep() + (copy == null ? "" : "; copied to " + BackupCopy.destination(copy,
                                s.name() + "-<time>")));
            }
            log.info("Dry run: nothing changed.");
            return new Result(List.of(), true, List.of());
        }
        return Locked.run(engine, stack, lock, "deploy the stack first", log, () -> {
            List<BackupRecord> taken = chosen.stream()
                    .map(s -> take(engine, stack, s.name(), "sancho:backup", options, log)).toList();
            List<java.nio.file.Path> copies = copy == null ? List.of()
                    : taken.stream().map(b -> copyTaken(engine, stack, b, copy, log)).toList();
            return new Result(taken, true, copies);
        });
    }

    private static java.nio.file.Path copyTaken(DockerEngine engine, Stack stack, BackupRecord b,
            BackupCopy.Request copy, Log log) {
        try {
            return BackupCopy.copy(engine, stack, b, copy, log);
        } catch (CheckFailedException | ConfigException e) {
            throw new CheckFailedException(e.getMessage() + " (backup " + b.id() + " itself is proven and stays in"
                    + " volume " + volumeName(stack.project()) + ": mvn sancho:backup -Dsancho.backup=" + b.id()
                    + " -Dsancho.backupCopyTo=... copies it again)");
        }
    }

    /** The proven backups in the project's backups volume, newest first; empty when it does not exist. */
    public static List<BackupRecord> list(DockerEngine engine, Stack stack, Log log) {
        if (engine.findVolume(volumeName(stack.project())).isEmpty()) {
            return List.of();
        }
        return withReader(engine, stack, log, (scratch) -> read(engine, scratch));
    }

    static List<BackupRecord> read(DockerEngine engine, String scratch) {
        List<BackupRecord> out = new ArrayList<>();
        engine.readFiles(scratch, DIR + "/index").ifPresent(files -> files.stream()
                .filter(f -> f.target().endsWith(".properties"))
                .forEach(f -> out.add(BackupRecord.parse(new String(f.content(), StandardCharsets.UTF_8)))));
        out.sort(Comparator.comparing(BackupRecord::takenAt).reversed().thenComparing(BackupRecord::id));
        return out;
    }

    /**
     * Runs {@code work} with a scratch container (created, never started) that mounts the backups volume, and
     * removes it afterwards.
     */
    static <T> T withReader(DockerEngine engine, Stack stack, Log log, java.util.function.Function<String, T> work) {
        StackService s = defined(stack).stream().filter(d -> engine.findImage(image(d)).isPresent()).findFirst()
                .orElseThrow(() -> new CheckFailedException("cannot read volume " + volumeName(stack.project())
                        + ": the image of no service with x-sancho-backup is on the engine"));
        String token = "read-" + Long.toString(Time.nanoTime() & 0xffffffffL, 36);
        String name = Safety.scratchName(stack.project(), token);
        String id = engine.createContainer(scratchSpec(engine, stack, s, image(s), name, token, false));
        try {
            return work.apply(id);
        } finally {
            removeScratch(engine, stack, id, log);
        }
    }

    private static String image(StackService s) {
        return s.service().image();
    }

    /** Keeps the newest {@code keep} proven backups of the service; only backup files are ever deleted. */
    private static void prune(DockerEngine engine, Stack stack, String scratch, String service, int keep, Log log) {
        List<BackupRecord> mine = read(engine, scratch).stream().filter(r -> service.equals(r.service())).toList();
        for (BackupRecord old : mine.subList(Math.min(keep, mine.size()), mine.size())) {
            ExecResult rm = engine.exec(scratch, List.of("rm", "-f", old.indexFile(), old.dumpFile()),
                    Duration.ofMinutes(1));
            if (rm.exitCode() == 0) {
                log.info("  removed backup " + old.id() + " (keep " + keep + " of " + service + ")");
            } else {
                log.warn("could not remove backup " + old.id() + " beyond keep: " + rm.output().strip());
            }
        }
    }

    /** {@code <project>_backups}: created once, labelled, never removed. */
    static void ensureVolume(DockerEngine engine, Stack stack, Log log) {
        String name = volumeName(stack.project());
        Optional<VolumeInfo> v = engine.findVolume(name);
        if (v.isPresent()) {
            String owner = v.get().labels() == null ? null : v.get().labels().get(Labels.PROJECT);
            if (owner != null && !owner.equals(stack.project())) {
                throw new ConfigException("volume " + name + " belongs to project " + owner + ", not "
                        + stack.project() + ": backups are not written into it; nothing was changed");
            }
            return;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, stack.project());
        labels.put(Labels.ROLE, Labels.ROLE_BACKUPS);
        if (stack.identity() != null) {
            labels.put(Labels.IDENTITY, stack.identity());
        }
        engine.createVolume(name, "local", Map.of(), labels);
        log.info("Created volume " + name + " for the project's backups (sancho never removes it)");
    }

    /** Scratch containers a killed backup or restore left behind. Under the deploy lock only. */
    static void removeLeftovers(DockerEngine engine, Stack stack, Log log) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.PROJECT, stack.project());
        selector.put(Labels.ROLE, Labels.ROLE_BACKUP_SCRATCH);
        for (ContainerInfo c : engine.listContainers(selector)) {
            if (Safety.removableScratch(c, stack.project(), stack.identity(), stack.infrastructureNames())) {
                engine.removeContainer(c.id());
                log.info("Removed " + c.name() + ", left by an interrupted backup or restore");
            }
        }
    }

    static void removeScratch(DockerEngine engine, Stack stack, String id, Log log) {
        try {
            engine.inspectContainer(id).ifPresent(c -> {
                Safety.requireRemovableScratch(c, stack.project(), stack.identity(), stack.infrastructureNames());
                engine.removeContainer(c.id());
            });
        } catch (DockerOperationException e) {
            log.warn("could not remove the scratch container " + id + " (" + e.getMessage() + "); the next backup"
                    + " removes it");
        }
    }

    /**
     * A throwaway copy of the service's container: the same image and environment, its data mounts (every writable
     * mount and every VOLUME of the image) on tmpfs, so it never touches the real data and leaves no volume behind;
     * the backups volume at {@link #DIR}; on no network of the stack (nothing resolves to it), restart policy no.
     *
     * @param proving a copy that runs the database (else one only created, to read or feed the backups volume)
     */
    static ContainerSpec scratchSpec(DockerEngine engine, Stack stack, StackService s, String image, String name,
            String backupId, boolean proving) {
        ContainerSpec base = ContainerSpecs.forService(stack, s);
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        Set<String> covered = new java.util.HashSet<>();
        if (proving) {
            for (ContainerSpec.Mount m : base.mounts()) {
                covered.add(m.target());
                mounts.add("bind".equals(m.type()) && m.readOnly() ? m
                        : new ContainerSpec.Mount("tmpfs", null, m.target(), false));
            }
        }
        covered.add(DIR);
        engine.findImage(image).ifPresent(i -> i.volumes().stream().filter(v -> !covered.contains(v))
                .forEach(v -> mounts.add(new ContainerSpec.Mount("tmpfs", null, v, false))));
        mounts.add(new ContainerSpec.Mount("volume", volumeName(stack.project()), DIR, false));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, stack.project());
        labels.put(Labels.ROLE, Labels.ROLE_BACKUP_SCRATCH);
        labels.put(Labels.SERVICE, s.name());
        labels.put(Labels.BACKUP_ID, backupId);
        if (stack.identity() != null) {
            labels.put(Labels.IDENTITY, stack.identity());
        }
        return new ContainerSpec(name, image, proving ? base.entrypoint() : null, proving ? base.command() : null,
                proving ? base.environment() : Map.of(), labels, List.of(), mounts, Map.of(), "no",
                proving ? base.healthcheck() : null, proving ? base.user() : null, null, null, List.of(),
                base.stopSignal(), Duration.ofSeconds(10), ContainerOptions.NONE);
    }

    private static void awaitReady(DockerEngine engine, String scratch, String name, StackService s, BackupDef def,
            Options options, SecretMask mask, String service) {
        if (!def.ready().isEmpty()) {
            long deadline = Time.nanoTime() + options.readyTimeout().toNanos();
            ExecResult last = null;
            while (Time.nanoTime() < deadline) {
                if (!engine.inspectContainer(scratch).map(ContainerInfo::running).orElse(false)) {
                    throw notProven(service, null, "the throwaway copy stopped before it was ready: "
                            + mask.apply(String.join(" | ", engine.logTail(scratch, 3))));
                }
                last = engine.exec(scratch, def.ready(), Duration.ofSeconds(10));
                if (last.exitCode() == 0) {
                    return;
                }
                Time.sleep(Duration.ofMillis(500), "the throwaway copy to accept connections");
            }
            throw notProven(service, null, "the throwaway copy was not ready within "
                    + options.readyTimeout().toSeconds() + " s" + (last == null ? "" : lastLine(mask, last)));
        }
        if (s.service().healthcheck() != null) {
            HealthGate.Result r = HealthGate.await(engine, Map.of(scratch, name), options.readyTimeout(),
                    Duration.ZERO, Log.NONE);
            if (!r.ok()) {
                throw notProven(service, null, "the throwaway copy did not become healthy: "
                        + mask.apply(r.reason()));
            }
        }
    }

    /**
     * The dump or its index could not be written to the backups volume: one line, saying so plainly when the volume
     * (or the disk behind it) is full.
     *
     * @param removed whether what was written of it is gone already (else the next backup's cleanup removes it)
     */
    static CheckFailedException storageFailed(String service, String volume, String engineMessage, boolean removed) {
        String m = engineMessage.toLowerCase(Locale.ROOT);
        String left = removed ? "the partial file was removed" : "the partial file in it is removed by the next backup";
        if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
            return new CheckFailedException("backup of " + service + " failed: the backup storage, volume " + volume
                    + ", is full (" + (m.contains("quota") ? "disk quota exceeded" : "no space left on device")
                    + "): nothing was counted, " + left + "; free space on the engine host's disk behind the volume,"
                    + " or keep fewer backups (x-sancho-backup keep:)");
        }
        return new CheckFailedException("backup of " + service + " failed: the dump could not be stored in volume "
                + volume + ": " + engineMessage + "; nothing was counted, " + left);
    }

    /**
     * Removes a partial file from the backups volume through the scratch copy (started for that when it is not yet
     * running); whether it is gone. Best effort: the next backup removes whatever incoming/ still holds.
     */
    private static boolean removePartial(DockerEngine engine, String scratch, String file) {
        try {
            if (!engine.inspectContainer(scratch).map(ContainerInfo::running).orElse(false)) {
                engine.startContainer(scratch);
            }
            return engine.exec(scratch, List.of("rm", "-f", file), Duration.ofSeconds(30)).exitCode() == 0;
        } catch (RuntimeException e) {
            return false; // the scratch copy would not start or answer: the next backup's cleanup removes the file
        }
    }

    private static CheckFailedException notProven(String service, String id, String why) {
        return new CheckFailedException("backup of " + service + " is not proven, so it is not counted: " + why
                + (id == null ? "" : " (backup " + id + " discarded)"));
    }

    /** {@code sh -c} with stdout into {@code file} (created 0600): the engine streams it from there. */
    static List<String> redirectOut(String file, List<String> command) {
        List<String> c = new ArrayList<>(List.of("sh", "-c", "umask 077; f=$1; shift; \"$@\" > \"$f\"", "sh", file));
        c.addAll(command);
        return c;
    }

    /** {@code sh -c} with stdin from {@code file}. */
    static List<String> redirectIn(String file, List<String> command) {
        List<String> c = new ArrayList<>(List.of("sh", "-c", "f=$1; shift; \"$@\" < \"$f\"", "sh", file));
        c.addAll(command);
        return c;
    }

    static void removeQuietly(DockerEngine engine, String container, String file) {
        try {
            engine.exec(container, List.of("rm", "-f", file), Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            // best effort: a file in /tmp of a container, or an unproven dump the next backup's cleanup removes
        }
    }

    static String outcome(ExecResult r, Duration timeout) {
        return r.timedOut() ? "did not finish within " + timeout.toSeconds() + " s" : "exited with " + r.exitCode();
    }

    /** The command's last output line (its error, usually), masked. */
    static String lastLine(SecretMask mask, ExecResult r) {
        List<String> lines = r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : ": " + mask.apply(lines.get(lines.size() - 1));
    }

    private static String seconds(long since) {
        return String.format(Locale.ROOT, "%.1f", (Time.nanoTime() - since) / 1e9);
    }
}
