package dev.etr.router.eval;

import dev.etr.router.head.ExpertHead;
import dev.etr.router.head.HeadTrainer;
import dev.etr.router.head.TrainingSet;
import dev.etr.router.internal.Vectors;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The routing methods {@code ./etr eval} knows, by name. */
public final class Methods {

    /** Neighbours that vote in {@code knn}. */
    static final int K_NEIGHBOURS = 10;
    /** Sharpness of the centroid baseline's softmax over cosine similarities (only its confidence depends on it). */
    static final float CENTROID_TEMPERATURE_INVERSE = 20f;

    private static final Map<String, Supplier<RoutingMethod>> KNOWN = new TreeMap<>(Map.of(
            "etr", () -> new Etr(new HeadTrainer(HeadTrainer.Options.defaults())),
            "centroid", Centroid::new,
            "knn", Knn::new,
            "majority", Majority::new,
            "random", Random::new));

    private Methods() {
    }

    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }

    /** @throws IllegalArgumentException naming the unknown method and the known ones */
    public static RoutingMethod create(String name) {
        Supplier<RoutingMethod> factory = KNOWN.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("--methods: unknown method \"" + name + "\" (known: " + String.join(", ", names()) + ")");
        }
        return factory.get();
    }

    /** Expert-Token-Routing: one trained token per label over the frozen embedding. */
    static final class Etr implements RoutingMethod {
        private final HeadTrainer trainer;
        private ExpertHead head;

        Etr(HeadTrainer trainer) {
            this.trainer = trainer;
        }

        @Override
        public String name() {
            return "etr";
        }

        @Override
        public void fit(TrainingSet train, List<String> labels) {
            head = trainer.trainJoint(labels, train, 0.0);
        }

        @Override
        public double[] probabilities(float[] h) {
            return head.probabilities(h);
        }
    }

    /** Nearest centroid over cosine similarity: how embedding-similarity routers such as semantic-router work. */
    static final class Centroid implements RoutingMethod {
        private float[] centroids;
        private int count;

        @Override
        public String name() {
            return "centroid";
        }

        @Override
        public void fit(TrainingSet train, List<String> labels) {
            int d = train.vectors().get(0).length;
            count = labels.size();
            centroids = new float[count * d];
            for (int k = 0; k < count; k++) {
                float[] sum = new float[d];
                for (int i = 0; i < train.size(); i++) {
                    if (train.labels().get(i).equals(labels.get(k))) {
                        float[] x = train.vectors().get(i);
                        for (int c = 0; c < d; c++) {
                            sum[c] += x[c];
                        }
                    }
                }
                System.arraycopy(Vectors.normalized(sum), 0, centroids, k * d, d);
            }
        }

        @Override
        public double[] probabilities(float[] h) {
            float[] logits = new float[count];
            for (int k = 0; k < count; k++) {
                logits[k] = CENTROID_TEMPERATURE_INVERSE * Vectors.dot(h, centroids, k);
            }
            double[] p = new double[count];
            Vectors.softmax(logits, p);
            return p;
        }
    }

    /** k nearest neighbours, similarity-weighted votes (as LangChain4j's EmbeddingModelTextClassifier does). */
    static final class Knn implements RoutingMethod {
        private float[] examples;
        private int[] exampleLabels;
        private int labelCount;
        private int d;

        @Override
        public String name() {
            return "knn";
        }

        @Override
        public void fit(TrainingSet train, List<String> labels) {
            d = train.vectors().get(0).length;
            labelCount = labels.size();
            examples = new float[train.size() * d];
            exampleLabels = new int[train.size()];
            for (int i = 0; i < train.size(); i++) {
                System.arraycopy(train.vectors().get(i), 0, examples, i * d, d);
                exampleLabels[i] = labels.indexOf(train.labels().get(i));
            }
        }

        @Override
        public double[] probabilities(float[] h) {
            int n = exampleLabels.length;
            int k = Math.min(K_NEIGHBOURS, n);
            int[] best = new int[k];
            float[] bestSim = new float[k];
            Arrays.fill(bestSim, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                float s = Vectors.dot(h, examples, i);
                if (s > bestSim[k - 1]) {
                    int j = k - 1;
                    while (j > 0 && bestSim[j - 1] < s) {
                        bestSim[j] = bestSim[j - 1];
                        best[j] = best[j - 1];
                        j--;
                    }
                    bestSim[j] = s;
                    best[j] = i;
                }
            }
            double[] votes = new double[labelCount];
            double total = 0;
            for (int j = 0; j < k; j++) {
                double weight = Math.max(bestSim[j], 0) + 1e-9;
                votes[exampleLabels[best[j]]] += weight;
                total += weight;
            }
            for (int c = 0; c < labelCount; c++) {
                votes[c] /= total;
            }
            return votes;
        }
    }

    /** Always the most frequent training label: the floor any router must clear. */
    static final class Majority implements RoutingMethod {
        private double[] prior;

        @Override
        public String name() {
            return "majority";
        }

        @Override
        public void fit(TrainingSet train, List<String> labels) {
            prior = new double[labels.size()];
            for (String label : train.labels()) {
                prior[labels.indexOf(label)] += 1.0 / train.size();
            }
            int best = 0;
            for (int k = 1; k < prior.length; k++) {
                if (prior[k] > prior[best]) {
                    best = k;
                }
            }
            double[] p = new double[prior.length];
            p[best] = 1;
            prior = p;
        }

        @Override
        public double[] probabilities(float[] h) {
            return prior.clone();
        }
    }

    /** A uniformly random expert (seeded): chance level. */
    static final class Random implements RoutingMethod {
        private final SplittableRandom random = new SplittableRandom(42);
        private int count;

        @Override
        public String name() {
            return "random";
        }

        @Override
        public void fit(TrainingSet train, List<String> labels) {
            count = labels.size();
        }

        @Override
        public double[] probabilities(float[] h) {
            double[] p = new double[count];
            synchronized (random) {
                p[random.nextInt(count)] = 1;
            }
            return p;
        }
    }
}
