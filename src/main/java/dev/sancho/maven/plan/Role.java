package dev.sancho.maven.plan;

/** Infrastructure keeps a fixed name and is never recreated; application containers are per deploy. */
public enum Role {
    INFRA("infra"),
    APP("app");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    /** The value of the {@code sancho.role} label. */
    public String label() {
        return label;
    }
}
