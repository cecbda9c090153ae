package dev.etr.config;

import java.util.List;

/**
 * The whole etr configuration, as read from YAML/JSON (see {@code ConfigLoader}) or built in code.
 * Immutable; defaults are resolved once, at construction.
 */
public record EtrConfig(
        ServerConfig server,
        RouterConfig router,
        GeneralistConfig generalist,
        List<ExpertConfig> experts) {

    public EtrConfig {
        server = server == null ? ServerConfig.defaults() : server;
        router = router == null ? RouterConfig.defaults() : router;
        experts = experts == null ? List.of() : List.copyOf(experts);
    }
}
