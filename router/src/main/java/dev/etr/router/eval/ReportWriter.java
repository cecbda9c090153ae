package dev.etr.router.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link EvalReport}: JSON for machines, a table for the terminal, a self-contained HTML page. */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    public static String json(EvalReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String table(EvalReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "train %d, test %d, %d experts, meta-model %s%n",
                report.trainSize(), report.testSize(), report.labels().size(), report.metaModel()));
        out.append(String.format(Locale.ROOT, "encoded %d of %d texts in %.1f s (the rest from the cache)%n%n",
                report.encoding().encoded(), report.encoding().texts(), report.encoding().seconds()));
        out.append(String.format(Locale.ROOT, "%-10s %9s %9s %7s %12s %12s%n",
                "method", "accuracy", "macro-F1", "ECE", "decide p50", "decide p99"));
        for (Map.Entry<String, Metrics> entry : report.methods().entrySet()) {
            Metrics m = entry.getValue();
            out.append(String.format(Locale.ROOT, "%-10s %9.4f %9.4f %7.4f %10.1fµs %10.1fµs%n", entry.getKey(),
                    m.accuracy(), m.macroF1(), m.expectedCalibrationError(), m.decideMicrosP50(), m.decideMicrosP99()));
        }
        EvalReport.Extension ext = report.extension();
        if (ext != null) {
            out.append(String.format(Locale.ROOT,
                    "%nextension: \"%s\" added in extend mode: accuracy %.4f vs joint %.4f (%+.2f points); recall of the added expert %.4f%n",
                    ext.added(), ext.extendedAccuracy(), ext.jointAccuracy(), 100 * ext.delta(), ext.addedRecall()));
        }
        EvalReport.Generalist g = report.generalist();
        if (g != null) {
            out.append(String.format(Locale.ROOT,
                    "%ngeneralist: %d general requests held out: %.1f%% routed to the generalist; %.1f%% of expert requests wrongly so; AUROC %.4f; expert accuracy %.4f%n",
                    g.generalTest(), 100 * g.generalRecall(), 100 * g.expertFalseGeneral(), g.auroc(), g.expertAccuracy()));
        }
        if (!report.problems().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%d malformed line(s) skipped:%n", report.problems().size()));
            report.problems().forEach(p -> out.append("  ").append(p).append('\n'));
        }
        return out.toString();
    }

    public static void writeJson(EvalReport report, Path file) {
        write(file, json(report));
    }

    /** A page with the summary table, a confusion-matrix heat map per method and per-expert F1 bars. */
    public static void writeHtml(EvalReport report, Path file) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>etr routing evaluation</title>")
                .append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}")
                .append("table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}img{max-width:100%}</style></head><body>")
                .append("<h1>etr routing evaluation</h1><pre>").append(escape(table(report))).append("</pre>");
        html.append("<h2>Per-expert F1</h2>").append(image(f1Chart(report)));
        for (Map.Entry<String, Metrics> entry : report.methods().entrySet()) {
            html.append("<h2>Confusion matrix: ").append(escape(entry.getKey())).append("</h2>")
                    .append(image(confusionChart(entry.getKey(), entry.getValue())));
        }
        html.append("</body></html>\n");
        write(file, html.toString());
    }

    private static CategoryChart f1Chart(EvalReport report) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(420)
                .title("F1 per expert").yAxisTitle("F1").build();
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setChartBackgroundColor(Color.WHITE);
        for (Map.Entry<String, Metrics> entry : report.methods().entrySet()) {
            List<Double> f1 = entry.getValue().perLabel().stream().map(Metrics.LabelScore::f1).toList();
            chart.addSeries(entry.getKey(), report.labels(), f1);
        }
        return chart;
    }

    private static HeatMapChart confusionChart(String method, Metrics metrics) {
        int k = metrics.labels().size();
        int size = Math.max(500, Math.min(1400, 40 * k + 300));
        HeatMapChart chart = new HeatMapChartBuilder().width(size).height(size)
                .title(method + ": true (rows) vs routed (columns)").build();
        chart.getStyler().setShowValue(k <= 12);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)});
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                // XChart draws y upwards: flip rows so the first label is on top, as in a printed matrix.
                cells.add(new Number[] {p, k - 1 - t, metrics.confusion()[t][p]});
            }
        }
        List<String> reversed = new ArrayList<>(metrics.labels());
        Collections.reverse(reversed);
        chart.addSeries("count", metrics.labels(), reversed, cells);
        return chart;
    }

    private static String image(Chart<?, ?> chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "<p><img alt=\"" + escape(chart.getTitle()) + "\" src=\"data:image/png;base64,"
                    + Base64.getEncoder().encodeToString(png) + "\"></p>";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be written: " + e.getMessage(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
