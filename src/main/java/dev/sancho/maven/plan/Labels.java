package dev.sancho.maven.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels that mark what this plugin owns. Selection is by these AND by exact name, never by name alone.
 *
 * <h2>The deploy record</h2>
 * The labels on application containers ARE the record of every deploy; there is no other history. Each app
 * container carries {@link #PROJECT}, {@link #SERVICE}, {@link #ROLE}{@code =app}, {@link #DEPLOY_ID},
 * {@link #DEPLOYED_AT} (ISO-8601 instant, the same for every container of one deploy) and
 * {@link #CONFIG_HASH}; the image is the container's own image.
 * <ul>
 * <li><b>current deploy</b>: the deploy id whose app containers are running; when containers of several deploy
 * ids are running (an interrupted cutover), the one with the newest {@code sancho.deployed-at}.
 * See {@link DeployHistory#current}.</li>
 * <li><b>kept deploys</b>: the app containers that are not running, grouped by deploy id, newest
 * {@code sancho.deployed-at} first, excluding the current deploy. These are the rollback targets; the deploy
 * goal keeps {@code sancho.keep} of them. See {@link DeployHistory#inactive} (retention) and
 * {@link DeployHistory#kept} (rollback targets).</li>
 * </ul>
 * Containers without a parseable {@code sancho.deployed-at} sort by their creation time.
 */
public final class Labels {
    private Labels() {}

    public static final String PROJECT = "sancho.project";
    /**
     * Who owns the object ({@link ProjectIdentity}): on every container, network, volume and image sancho creates and
     * on the deploy lock. Two projects of one name but different identities never act on each other's objects.
     */
    public static final String IDENTITY = "sancho.identity";
    public static final String SERVICE = "sancho.service";
    public static final String ROLE = "sancho.role";
    public static final String DEPLOY_ID = "sancho.deploy-id";
    public static final String CONFIG_HASH = "sancho.config-hash";
    public static final String MANAGED = "sancho.managed";
    /** ISO-8601 instant when the deploy that created this app container started. */
    public static final String DEPLOYED_AT = "sancho.deployed-at";
    /**
     * On app containers: the app services of their deploy, sorted, comma-separated. A deploy missing one of them
     * was interrupted half-way (e.g. a killed build): never a rollback target, not counted by {@code keep}.
     */
    public static final String DEPLOY_SERVICES = "sancho.deploy-services";
    /**
     * {@code true} on the app container of a one-shot job (see {@link Stack#jobs()}): it is done when it exited with
     * 0; verify expects exactly that, and a rollback does not run it again.
     */
    public static final String JOB = "sancho.job";
    /**
     * The restart policy the compose file gives an app container. A deploy that stops being current gets policy
     * {@code no} (so an engine restart or reboot does not bring it back beside the current one); a rollback
     * restores this one.
     */
    public static final String RESTART = "sancho.restart";
    /**
     * On app containers of a service with {@code deploy.replicas}/{@code scale} above 1: how many containers the
     * service has in the deploy. A deploy with fewer is incomplete (see {@link DeployHistory.Deploy#missingServices}).
     */
    public static final String REPLICAS = "sancho.replicas";
    /**
     * On app containers: the DNS aliases the container answers to on each network once it serves,
     * {@code net=alias,alias;net2=alias} (see {@link DnsAliases}). A new container gets them only once it is ready,
     * a stopped one keeps them (a rollback starts it without them and gives them back once it is ready again), and a
     * container found stopped without them gets them back: this label says which.
     */
    public static final String DNS_ALIASES = "sancho.dns-aliases";
    /** The depends_on condition that makes its target a one-shot job. */
    public static final String CONDITION_COMPLETED = "service_completed_successfully";
    /**
     * Short digests per configuration field ({@code image=..,env.KEY=..,ports=..}), so a drift report can say
     * WHICH fields changed without ever storing or printing a value.
     */
    public static final String CONFIG_FIELDS = "sancho.config-fields";

    /**
     * On containers and swarm services sancho creates: the id of the project's digest key ({@link Digests#id()})
     * that made {@link #CONFIG_HASH}, {@link #CONFIG_FIELDS} and the names of its swarm secrets and configs.
     * Absent on what versions before keyed digests created (plain SHA-256, compared as such).
     */
    public static final String DIGEST_KEY_ID = "sancho.digest-key-id";
    /** On the object holding a project's digest key (a volume, on a swarm a config): the key, base64. */
    public static final String DIGEST_KEY = "sancho.digest-key";
    /** {@link #ROLE} value of the object holding the digest key. */
    public static final String ROLE_DIGEST_KEY = "digest-key";

    /** {@link #ROLE} value of the volume recording that a proxy's certificate store held certificates. */
    public static final String ROLE_CERTIFICATES = "certificates";
    /** On that volume: the names its certificates covered, comma-separated. */
    public static final String CERTIFICATE_NAMES = "sancho.certificates.names";
    /** On that volume: how many certificates it held. */
    public static final String CERTIFICATE_COUNT = "sancho.certificates.count";
    /** On that volume: when they were seen (ISO-8601). */
    public static final String CERTIFICATES_SEEN_AT = "sancho.certificates.seen-at";

    /**
     * On an infrastructure container {@code sancho:upgrade} created: the id of the container it superseded, kept
     * stopped under {@code <fixed name>_pre_<id>} ({@link Superseded}) for {@code -Dsancho.revert}. Outside the
     * config hash.
     */
    public static final String SUPERSEDES = "sancho.supersedes";

    /**
     * {@link #ROLE} value of the short-lived containers a backup, a restore or a listing of backups works through
     * (the throwaway copy that proves a backup restorable, the one that reaches the backups volume): removable by
     * {@link Safety#removableScratch} only.
     */
    public static final String ROLE_BACKUP_SCRATCH = "backup-scratch";
    /** {@link #ROLE} value of the volume holding a project's backups ({@code <project>_backups}, never removed). */
    public static final String ROLE_BACKUPS = "backups";
    /** On a backup scratch container: the backup it works on. */
    public static final String BACKUP_ID = "sancho.backup-id";

    /**
     * {@link #ROLE} value of the audit trail's volume and of the never-started helper container that reads and
     * writes it ({@code core.AuditTrail}).
     */
    public static final String ROLE_AUDIT = "audit";
    /** On a swarm, the sequence number of the audit record a config holds ({@code swarm.SwarmAudit}). */
    public static final String AUDIT_SEQ = "sancho.audit.seq";

    /** {@link #ROLE} value of the deploy lock container. */
    public static final String ROLE_LOCK = "lock";
    public static final String LOCK_HOLDER = "sancho.lock.holder";
    public static final String LOCK_HOST = "sancho.lock.host";
    public static final String LOCK_PID = "sancho.lock.pid";
    public static final String LOCK_SINCE = "sancho.lock.since";
    /**
     * How the lock tells that its holder lives: {@code stdin} (its process runs as long as the holder's connection to
     * its stdin, see {@code core.DeployLock}); absent on locks without liveness (earlier versions).
     */
    public static final String LOCK_LIVENESS = "sancho.lock.liveness";

    /** Label selector for every app container of a project, running or not. */
    public static Map<String, String> appSelector(String project) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PROJECT, project);
        m.put(ROLE, Role.APP.label());
        return m;
    }

    /**
     * {@code true} on images the plugin built (with {@link #PROJECT}, {@link #SERVICE}, {@link #DEPLOY_ID}): the
     * only images it may ever remove. See {@link Safety#removableImage}.
     */
    public static final String BUILT = "sancho.built";
    /** On built images: the service's {@code image:} name sancho tagged besides the per-deploy tag, if any. */
    public static final String IMAGE_NAME = "sancho.image";
    /**
     * On built images: when the build ran (ISO-8601). A deploy builds before it waits for the deploy lock, so an
     * image without containers that is this young may belong to a deploy still waiting: cleanup keeps it.
     */
    public static final String BUILT_AT = "sancho.built-at";
}
