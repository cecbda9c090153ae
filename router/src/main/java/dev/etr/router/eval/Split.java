package dev.etr.router.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A train/test split, stratified per label: each label keeps the same share on both sides. */
public record Split(List<LabelledText> train, List<LabelledText> test) {

    public Split {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /**
     * Shuffles each label's examples with {@code seed} and puts {@code trainFraction} of them (rounded, at least one
     * when the label has two or more) in train, the rest in test. Same data and seed, same split.
     */
    public static Split stratified(List<LabelledText> examples, double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("--split: " + trainFraction + " is not strictly between 0 and 1");
        }
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        for (LabelledText example : examples) {
            byLabel.computeIfAbsent(example.label(), l -> new ArrayList<>()).add(example);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> test = new ArrayList<>();
        for (List<LabelledText> group : byLabel.values()) {
            List<LabelledText> shuffled = new ArrayList<>(group);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                LabelledText t = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, t);
            }
            int cut = (int) Math.round(shuffled.size() * trainFraction);
            if (shuffled.size() >= 2) {
                cut = Math.max(1, Math.min(shuffled.size() - 1, cut));
            }
            train.addAll(shuffled.subList(0, cut));
            test.addAll(shuffled.subList(cut, shuffled.size()));
        }
        return new Split(train, test);
    }
}
