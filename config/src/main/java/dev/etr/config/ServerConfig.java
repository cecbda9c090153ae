package dev.etr.config;

import java.util.List;

/**
 * HTTP server settings. Binds to loopback by default; {@code apiKeys} empty means no client authentication.
 *
 * @param port         0 picks a free port
 * @param maxBodyBytes request body limit in bytes (default 4 MiB)
 * @param adminKey     key for {@code /admin/*}; null disables the admin API
 */
public record ServerConfig(String host, Integer port, List<String> apiKeys, Long maxBodyBytes, String adminKey) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

    public ServerConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        port = port == null ? DEFAULT_PORT : port;
        apiKeys = Checks.copyWithoutNulls(apiKeys, "apiKeys");
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null);
    }

    /** Masks the client API keys and the admin key. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", apiKeys=" + Checks.mask(apiKeys)
                + ", maxBodyBytes=" + maxBodyBytes + ", adminKey=" + Checks.mask(adminKey) + "]";
    }
}
