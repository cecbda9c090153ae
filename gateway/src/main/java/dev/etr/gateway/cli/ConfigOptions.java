package dev.etr.gateway.cli;

import dev.etr.config.BackendConfig;
import dev.etr.config.ConfigLoader;
import dev.etr.config.EmbeddedDefaults;
import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.config.GeneralistConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options {@code serve} and {@code route} share: which configuration, and where the embedding cache lives. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON configuration (default: the embedded demo experts, backends from ETR_* variables).")
    Path config;

    @Option(names = "--demo",
            description = "Give every expert and the generalist a mock backend that answers canned text (no LLM needed).")
    boolean demo;

    @Option(names = "--cache-dir", paramLabel = "DIR", defaultValue = "${env:ETR_CACHE_DIR:-.etr/cache}",
            description = "Embedding cache, so restarts do not re-encode unchanged examples (default ${DEFAULT-VALUE}).")
    Path cacheDir;

    /** The configuration these options describe; with {@code --demo} every backend is a mock. */
    EtrConfig load() {
        EtrConfig loaded = config == null
                ? EmbeddedDefaults.config(System.getenv(), demo)
                : new ConfigLoader().load(config);
        return demo ? withMockBackends(loaded) : loaded;
    }

    private static EtrConfig withMockBackends(EtrConfig config) {
        GeneralistConfig g = config.generalist();
        return new EtrConfig(config.server(), config.router(),
                new GeneralistConfig(BackendConfig.mock(), g.examples(), g.examplesFile(), g.systemPrompt()),
                config.experts().stream().map(e -> new ExpertConfig(e.name(), e.description(), BackendConfig.mock(),
                        e.examples(), e.examplesFile(), e.systemPrompt())).toList());
    }
}
