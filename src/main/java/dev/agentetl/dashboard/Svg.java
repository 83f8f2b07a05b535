package dev.agentetl.dashboard;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Charts as inline SVG, drawn here so the page needs no script and no network: a line chart over days, grouped
 * bars, and 100 % stacked bars. Every mark has a {@code <title>}, which browsers show on hover.
 */
final class Svg {

    /** Tableau 10: distinct on screen and in print, and readable by most colour-blind readers. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"};

    private static final int W = 760;
    private static final int H = 280;
    private static final int LEFT = 72;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 40;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    private Svg() {
    }

    static String color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** One line per series over the days; a day without a value breaks the line. */
    static String lines(String id, String yTitle, List<LocalDate> days, List<String> names, List<Map<LocalDate, Double>> series,
                        double fixedMax, DoubleFunction<String> format) {
        double max = fixedMax;
        if (max <= 0) {
            for (Map<LocalDate, Double> s : series) for (double v : s.values()) max = Math.max(max, v);
        }
        double[] ticks = ticks(max);
        double top = ticks[ticks.length - 1];
        StringBuilder sb = open(id, yTitle);
        yAxis(sb, ticks, top, format);
        int n = days.size();
        double step = n <= 1 ? 0 : (W - LEFT - RIGHT) / (double) (n - 1);
        int every = Math.max(1, (int) Math.ceil(n / 10.0));
        for (int i = 0; i < n; i += every) {
            double x = LEFT + i * step;
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
                    H - BOTTOM + 16, DAY.format(days.get(i))));
        }
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">day (UTC)</text>",
                LEFT + (W - LEFT - RIGHT) / 2, H - 4));
        for (int s = 0; s < series.size(); s++) {
            Map<LocalDate, Double> values = series.get(s);
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < n; i++) {
                Double v = values.get(days.get(i));
                if (v == null) {
                    pen = false;
                    continue;
                }
                d.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", pen ? "L" : "M", LEFT + i * step, y(v, top)));
                pen = true;
            }
            if (d.length() > 0) {
                sb.append(String.format("<path class=\"series\" d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"><title>%s</title></path>",
                        d.toString().trim(), color(s), Html.escape(names.get(s))));
            }
            for (int i = 0; i < n; i++) {
                Double v = values.get(days.get(i));
                if (v == null) continue;
                sb.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s, %s: %s</title></circle>",
                        LEFT + i * step, y(v, top), color(s), Html.escape(names.get(s)), days.get(i), format.apply(v)));
            }
        }
        return sb.append("</svg>").toString();
    }

    /** Bars side by side per category, one per series (p50 and p95 of each model, say). */
    static String groupedBars(String id, String yTitle, List<String> categories, List<String> seriesNames, List<double[]> values,
                              DoubleFunction<String> format) {
        double max = 0;
        for (double[] v : values) for (double x : v) max = Math.max(max, x);
        double[] ticks = ticks(max);
        double top = ticks[ticks.length - 1];
        StringBuilder sb = open(id, yTitle);
        yAxis(sb, ticks, top, Svg::ms);
        int k = seriesNames.size();
        double band = (W - LEFT - RIGHT) / (double) Math.max(1, categories.size());
        double bar = Math.min(36, band * 0.7 / k);
        for (int c = 0; c < categories.size(); c++) {
            double x0 = LEFT + c * band + (band - bar * k) / 2;
            for (int s = 0; s < k; s++) {
                double v = values.get(c)[s];
                double y = y(v, top);
                sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                + "<title>%s %s: %s</title></rect>", x0 + s * bar, y, bar - 2, H - BOTTOM - y, color(s),
                        Html.escape(categories.get(c)), Html.escape(seriesNames.get(s)), format.apply(v)));
                sb.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                        x0 + s * bar + (bar - 2) / 2, y - 3, format.apply(v)));
            }
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    LEFT + c * band + band / 2, H - BOTTOM + 16, Html.escape(categories.get(c))));
        }
        return sb.append("</svg>").toString();
    }

    /**
     * One horizontal bar per row, split into the shares of its parts (100 % wide), each part coloured by its key's
     * place in {@code keys}; {@code notes} is printed to the right of each bar.
     */
    static String stackedShares(String id, List<String> rows, List<String> keys, List<Map<String, Long>> counts, List<String> notes) {
        int rowH = 34;
        int labelW = 110;
        int noteW = 230;
        int h = TOP + rows.size() * rowH + 30;
        int barW = W - labelW - noteW;
        StringBuilder sb = new StringBuilder(String.format(
                "<svg class=\"chart\" data-chart=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">", id, W, h));
        for (int r = 0; r < rows.size(); r++) {
            double y = TOP + r * rowH;
            long total = counts.get(r).values().stream().mapToLong(Long::longValue).sum();
            sb.append(String.format(Locale.ROOT, "<text class=\"row-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    labelW - 8, y + 17, Html.escape(rows.get(r))));
            double x = labelW;
            for (int k = 0; k < keys.size(); k++) {
                Long n = counts.get(r).get(keys.get(k));
                if (n == null || n == 0 || total == 0) continue;
                double w = barW * (double) n / total;
                sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"22\" fill=\"%s\">"
                                + "<title>%s, %s: %,d turns (%s)</title></rect>", x, y + 2, w, color(k), Html.escape(rows.get(r)),
                        Html.escape(keys.get(k)), n, percent((double) n / total)));
                if (w > 34) {
                    sb.append(String.format(Locale.ROOT, "<text class=\"in-bar\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                            x + w / 2, y + 17, percent((double) n / total)));
                }
                x += w;
            }
            sb.append(String.format(Locale.ROOT, "<text class=\"note\" x=\"%d\" y=\"%.1f\">%s</text>", labelW + barW + 8, y + 17,
                    Html.escape(notes.get(r))));
        }
        double axisY = TOP + rows.size() * rowH + 4;
        for (int p = 0; p <= 100; p += 25) {
            double x = labelW + barW * p / 100.0;
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>", x, x, TOP, axisY));
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d %%</text>", x, axisY + 14, p));
        }
        return sb.append("</svg>").toString();
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, share < 0.1 && share > 0 ? "%.1f %%" : "%.0f %%", share * 100);
    }

    /** An axis tick in milliseconds: the axis title names the unit. */
    static String ms(double ms) {
        return String.format(Locale.ROOT, "%,.0f", ms);
    }

    static String millis(double ms) {
        return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000) : String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    private static StringBuilder open(String id, String yTitle) {
        StringBuilder sb = new StringBuilder(String.format(
                "<svg class=\"chart\" data-chart=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">", id, W, H));
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(12,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                TOP + (H - TOP - BOTTOM) / 2, Html.escape(yTitle)));
        return sb;
    }

    private static void yAxis(StringBuilder sb, double[] ticks, double top, DoubleFunction<String> format) {
        for (double t : ticks) {
            double y = y(t, top);
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", LEFT, W - RIGHT, y, y));
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
                    format.apply(t)));
        }
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", LEFT, W - RIGHT, H - BOTTOM, H - BOTTOM));
    }

    private static double y(double v, double top) {
        return H - BOTTOM - (H - TOP - BOTTOM) * (top == 0 ? 0 : v / top);
    }

    /** Round tick values from 0 to at least {@code max}: steps of 1, 2, 2.5 or 5 times a power of ten, about 5 of them. */
    static double[] ticks(double max) {
        if (!(max > 0)) return new double[]{0, 1};
        double raw = max / 5;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = pow;
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * pow >= raw) {
                step = m * pow;
                break;
            }
        }
        List<Double> t = new ArrayList<>();
        for (double v = 0; v < max + step * 0.999; v += step) t.add(v);
        if (t.size() < 2) t.add(step);
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
