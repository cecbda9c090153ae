package dev.etr.config;

import java.util.List;

/**
 * The whole etr configuration, as read from YAML/JSON (see {@link ConfigLoader}) or built in code.
 * Immutable; defaults are resolved once, at construction. Check a configuration built in code with
 * {@link ConfigValidator#validate(EtrConfig)}; the loader does it for you.
 *
 * @param generalist required: answers when no expert fits
 * @param experts    may be empty (experts can be added at runtime)
 */
public record EtrConfig(
        ServerConfig server,
        RouterConfig router,
        GeneralistConfig generalist,
        List<ExpertConfig> experts) {

    public EtrConfig {
        server = server == null ? ServerConfig.defaults() : server;
        router = router == null ? RouterConfig.defaults() : router;
        experts = Checks.copyWithoutNulls(experts, "experts");
    }
}
