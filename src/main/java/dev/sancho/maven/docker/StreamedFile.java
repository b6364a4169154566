package dev.sancho.maven.docker;

/** A file {@link DockerEngine#streamFile} copied: its size in bytes and its SHA-256 (hex), measured on the way. */
public record StreamedFile(long size, String sha256) {}
