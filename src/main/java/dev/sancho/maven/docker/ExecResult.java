package dev.sancho.maven.docker;

public record ExecResult(int exitCode, String output) {}
