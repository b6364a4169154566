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
}
