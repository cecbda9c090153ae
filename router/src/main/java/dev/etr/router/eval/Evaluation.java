package dev.etr.router.eval;

import dev.etr.router.RoutingDecision;
import dev.etr.router.cache.CachingMetaModel;
import dev.etr.router.head.ExpertHead;
import dev.etr.router.head.HeadTrainer;
import dev.etr.router.head.TrainingSet;
import dev.etr.router.internal.Vectors;
import dev.etr.router.meta.MetaModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Measures routing methods on one train/test split over the same meta-model. */
public final class Evaluation {

    /** Texts per encoder call: small enough for a smooth progress bar, large enough to keep the encoder busy. */
    static final int ENCODE_CHUNK = 64;

    /** Told how far encoding has got. */
    @FunctionalInterface
    public interface Progress {
        void encoded(int done, int total);

        Progress NONE = (done, total) -> {
        };
    }

    /**
     * @param general    held-out general-purpose requests for the generalist experiment; empty to skip it
     * @param extension  run the dynamic-extension experiment
     */
    public record Request(Split split, List<String> methods, boolean extension, List<String> general, long seed,
                          List<String> problems) {
        public Request {
            methods = List.copyOf(methods);
            general = List.copyOf(general);
            problems = List.copyOf(problems);
        }
    }

    private final MetaModel metaModel;
    private final HeadTrainer.Options trainerOptions;
    private final Progress progress;

    public Evaluation(MetaModel metaModel, HeadTrainer.Options trainerOptions, Progress progress) {
        this.metaModel = metaModel;
        this.trainerOptions = trainerOptions;
        this.progress = progress;
    }

    public EvalReport run(Request request) {
        Split split = request.split();
        List<String> labels = new ArrayList<>(new TreeSet<>(split.train().stream().map(LabelledText::label).toList()));
        List<String> allTexts = new ArrayList<>();
        split.train().forEach(e -> allTexts.add(e.text()));
        split.test().forEach(e -> allTexts.add(e.text()));
        allTexts.addAll(request.general());

        long start = System.nanoTime();
        int missesBefore = misses();
        List<float[]> vectors = encode(allTexts);
        double seconds = (System.nanoTime() - start) / 1e9;

        int trainSize = split.train().size();
        int testSize = split.test().size();
        TrainingSet train = new TrainingSet(vectors.subList(0, trainSize), split.train().stream().map(LabelledText::label).toList());
        List<float[]> testVectors = vectors.subList(trainSize, trainSize + testSize);
        List<LabelledText> test = split.test();

        Map<String, Metrics> results = new LinkedHashMap<>();
        for (String name : request.methods()) {
            RoutingMethod method = name.equals("etr") ? new Methods.Etr(new HeadTrainer(trainerOptions.withSeed(request.seed()))) : Methods.create(name);
            method.fit(train, labels);
            results.put(name, measure(method, labels, testVectors, test));
        }

        EvalReport.Extension extension = request.extension() && labels.size() >= 2
                ? extension(labels, train, testVectors, test, request.seed()) : null;
        EvalReport.Generalist generalist = request.general().size() >= 4
                ? generalist(labels, train, testVectors, test, vectors.subList(trainSize + testSize, vectors.size()), request.seed())
                : null;

        return new EvalReport(trainSize, testSize, labels, metaModel.id(),
                new EvalReport.Encoding(allTexts.size(), misses() < 0 ? allTexts.size() : misses() - missesBefore, seconds),
                results, extension, generalist, request.problems());
    }

    /** Texts the cache could not answer so far, or -1 without a cache. */
    private int misses() {
        return metaModel instanceof CachingMetaModel caching ? caching.cache().misses() : -1;
    }

    private List<float[]> encode(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        progress.encoded(0, texts.size());
        for (int from = 0; from < texts.size(); from += ENCODE_CHUNK) {
            out.addAll(metaModel.embedAll(texts.subList(from, Math.min(texts.size(), from + ENCODE_CHUNK))));
            progress.encoded(out.size(), texts.size());
        }
        return out;
    }

    static Metrics measure(RoutingMethod method, List<String> labels, List<float[]> vectors, List<LabelledText> test) {
        int n = test.size();
        int[] truth = new int[n];
        int[] predicted = new int[n];
        double[] confidence = new double[n];
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            double[] p = method.probabilities(vectors.get(i));
            int best = Vectors.argmax(p);
            nanos[i] = System.nanoTime() - t0;
            truth[i] = labels.indexOf(test.get(i).label());
            predicted[i] = best;
            confidence[i] = p[best];
        }
        return Metrics.of(labels, truth, predicted, confidence, nanos);
    }

    private EvalReport.Extension extension(List<String> labels, TrainingSet train, List<float[]> testVectors,
                                           List<LabelledText> test, long seed) {
        HeadTrainer trainer = new HeadTrainer(trainerOptions.withSeed(seed));
        String added = labels.get(labels.size() - 1);
        ExpertHead joint = trainer.trainJoint(labels, train, 0.0);

        List<float[]> baseVectors = new ArrayList<>();
        List<String> baseLabels = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (!train.labels().get(i).equals(added)) {
                baseVectors.add(train.vectors().get(i));
                baseLabels.add(train.labels().get(i));
            }
        }
        ExpertHead base = trainer.trainJoint(labels.subList(0, labels.size() - 1), new TrainingSet(baseVectors, baseLabels), 0.0);
        ExpertHead extended = trainer.extend(base, List.of(added), train);

        double jointAccuracy = accuracy(joint, testVectors, test);
        double extendedAccuracy = accuracy(extended, testVectors, test);
        int addedTotal = 0;
        int addedHit = 0;
        for (int i = 0; i < test.size(); i++) {
            if (test.get(i).label().equals(added)) {
                addedTotal++;
                if (extended.tokens().get(extended.predict(testVectors.get(i))).equals(added)) {
                    addedHit++;
                }
            }
        }
        return new EvalReport.Extension(added, jointAccuracy, extendedAccuracy, extendedAccuracy - jointAccuracy,
                addedTotal == 0 ? 0 : (double) addedHit / addedTotal);
    }

    private EvalReport.Generalist generalist(List<String> labels, TrainingSet train, List<float[]> testVectors,
                                             List<LabelledText> test, List<float[]> generalVectors, long seed) {
        int half = generalVectors.size() / 2;
        List<float[]> generalTrain = generalVectors.subList(0, half);
        List<float[]> generalTest = generalVectors.subList(half, generalVectors.size());
        List<String> tokens = new ArrayList<>(labels);
        tokens.add(RoutingDecision.GENERALIST);
        TrainingSet withGeneral = train.plus(new TrainingSet(generalTrain,
                Collections.nCopies(generalTrain.size(), RoutingDecision.GENERALIST)));
        ExpertHead head = new HeadTrainer(trainerOptions.withSeed(seed)).trainJoint(tokens, withGeneral, 0.0);
        int g = head.indexOf(RoutingDecision.GENERALIST);

        double[] generalScores = new double[generalTest.size()];
        int generalHits = 0;
        for (int i = 0; i < generalTest.size(); i++) {
            double[] p = head.probabilities(generalTest.get(i));
            generalScores[i] = p[g];
            if (Vectors.argmax(p) == g) {
                generalHits++;
            }
        }
        double[] expertScores = new double[test.size()];
        int falseGeneral = 0;
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] p = head.probabilities(testVectors.get(i));
            expertScores[i] = p[g];
            int best = Vectors.argmax(p);
            if (best == g) {
                falseGeneral++;
            } else if (head.tokens().get(best).equals(test.get(i).label())) {
                correct++;
            }
        }
        return new EvalReport.Generalist(generalTrain.size(), generalTest.size(),
                (double) generalHits / Math.max(1, generalTest.size()),
                (double) falseGeneral / Math.max(1, test.size()),
                auroc(generalScores, expertScores), (double) correct / Math.max(1, test.size()));
    }

    /** Probability that a random positive scores above a random negative (ties count half). */
    static double auroc(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.length * negatives.length);
    }

    private static double accuracy(ExpertHead head, List<float[]> vectors, List<LabelledText> test) {
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            if (head.tokens().get(head.predict(vectors.get(i))).equals(test.get(i).label())) {
                correct++;
            }
        }
        return test.isEmpty() ? 0 : (double) correct / test.size();
    }

}
