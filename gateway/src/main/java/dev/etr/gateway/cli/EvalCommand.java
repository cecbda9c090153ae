package dev.etr.gateway.cli;

import dev.etr.router.cache.CachingMetaModel;
import dev.etr.router.cache.EmbeddingCache;
import dev.etr.router.eval.Dataset;
import dev.etr.router.eval.EvalReport;
import dev.etr.router.eval.Evaluation;
import dev.etr.router.eval.LabelledText;
import dev.etr.router.eval.Methods;
import dev.etr.router.eval.ReportWriter;
import dev.etr.router.eval.Split;
import dev.etr.router.head.HeadTrainer;
import dev.etr.router.meta.MetaModel;
import dev.etr.router.meta.MetaModels;
import dev.etr.router.GeneralistExamples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./etr eval}: routing accuracy of ETR and the baselines on a labelled set of requests. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure routing accuracy on labelled requests (JSON Lines with \"text\" and \"label\"),",
                "ETR against nearest-centroid, kNN, majority and random baselines on the same encoder and split."})
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "FILE", description = "One labelled file, split per label into train and test.")
    Path data;

    @Option(names = "--train", paramLabel = "FILE", description = "Training file (with --test instead of --data).")
    Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "Test file (with --train).")
    Path test;

    @Option(names = "--split", defaultValue = "0.5", description = "Share of each label used for training (default ${DEFAULT-VALUE}).")
    double split;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for the split and the trainer (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--methods", defaultValue = "etr,centroid,knn,majority,random", split = ",",
            description = "Methods to compare (default ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--extension", description = "Also train on all experts but the last, add it in extend mode, compare with joint training.")
    boolean extension;

    @Option(names = "--no-generalist", description = "Skip the generalist experiment (built-in general requests vs the test set).")
    boolean noGeneralist;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the full metrics as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "OUT.html", description = "Write a self-contained HTML report.")
    Path report;

    @Option(names = "--cache-dir", paramLabel = "DIR", defaultValue = "${env:ETR_CACHE_DIR:-.etr/cache}",
            description = "Embedding cache (default ${DEFAULT-VALUE}).")
    Path cacheDir;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if ((data == null) == (train == null || test == null) || (train == null) != (test == null)) {
            err.println("etr eval: give either --data FILE or both --train FILE and --test FILE");
            return 2;
        }
        for (String method : methods) {
            if (!Methods.names().contains(method)) {
                err.println("etr eval: --methods: unknown method \"" + method + "\" (known: " + String.join(", ", Methods.names()) + ")");
                return 2;
            }
        }
        List<String> problems = new ArrayList<>();
        Split chosen;
        if (data != null) {
            Dataset all = Dataset.read(data);
            problems.addAll(all.problems());
            chosen = Split.stratified(all.examples(), split, seed);
        } else {
            Dataset trainSet = Dataset.read(train);
            Dataset testSet = Dataset.read(test);
            problems.addAll(trainSet.problems());
            problems.addAll(testSet.problems());
            List<String> known = trainSet.labels();
            List<LabelledText> usable = new ArrayList<>();
            for (LabelledText example : testSet.examples()) {
                if (known.contains(example.label())) {
                    usable.add(example);
                } else {
                    problems.add(test + ": label \"" + example.label() + "\" has no training examples; skipped");
                }
            }
            chosen = new Split(trainSet.examples(), usable);
        }
        problems.forEach(p -> err.println("etr eval: skipped " + p));
        if (chosen.train().isEmpty() || chosen.test().isEmpty()) {
            err.println("etr eval: nothing to evaluate (train " + chosen.train().size() + ", test " + chosen.test().size() + " examples)");
            return 2;
        }

        MetaModel encoder = MetaModels.embedded();
        try (CachingMetaModel cached = new CachingMetaModel(encoder,
                EmbeddingCache.open(cacheDir, encoder.id(), encoder.dimension(), 50_000))) {
            Evaluation evaluation = new Evaluation(cached, HeadTrainer.Options.defaults(), new ProgressBar(err, "encoding"));
            EvalReport result = evaluation.run(new Evaluation.Request(chosen, methods, extension,
                    noGeneralist ? List.of() : GeneralistExamples.builtIn(), seed, problems));
            System.out.print(ReportWriter.table(result));
            if (json != null) {
                ReportWriter.writeJson(result, json);
                err.println("etr eval: wrote " + json);
            }
            if (report != null) {
                ReportWriter.writeHtml(result, report);
                err.println("etr eval: wrote " + report);
            }
        }
        return 0;
    }
}
