package dev.sancho.maven.docker;

/**
 * One container attached to a network, as the network's inspect answer reports it.
 *
 * @param ipv4 its address on the network without the prefix length, or null
 */
public record NetworkEndpoint(String containerId, String containerName, String ipv4) {}
