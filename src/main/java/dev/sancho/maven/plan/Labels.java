package dev.sancho.maven.plan;

/** The labels that mark what this plugin owns. Selection is by these AND by exact name, never by name alone. */
public final class Labels {
    private Labels() {}

    public static final String PROJECT = "sancho.project";
    public static final String SERVICE = "sancho.service";
    public static final String ROLE = "sancho.role";
    public static final String DEPLOY_ID = "sancho.deploy-id";
    public static final String CONFIG_HASH = "sancho.config-hash";
    public static final String MANAGED = "sancho.managed";
    /**
     * {@code true} on images the plugin built (with {@link #PROJECT}, {@link #SERVICE}, {@link #DEPLOY_ID}): the
     * only images it may ever remove. See {@link Safety#removableImage}.
     */
    public static final String BUILT = "sancho.built";
    /** On built images: the service's {@code image:} name sancho tagged besides the per-deploy tag, if any. */
    public static final String IMAGE_NAME = "sancho.image";
}
