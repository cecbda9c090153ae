package dev.etr.gateway.cli;

import dev.etr.router.eval.Evaluation;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn in place; silent when nothing is left to do. */
final class ProgressBar implements Evaluation.Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long start = System.nanoTime();

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public void encoded(int done, int total) {
        if (total == 0) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.0fs", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, seconds);
        if (done == total) {
            out.println();
        }
        out.flush();
    }
}
