package dev.etr.router.eval;

/** One labelled request: what a user sent and the expert that should answer it. */
public record LabelledText(String text, String label) {
}
