package io.bulwark.sentiment.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the HTML reports (chaos, cost simulation) draw their charts with: a figure whose title and legend are
 * HTML, so they wrap instead of being clipped, above an inline SVG that fills its container's width. The SVG
 * has a {@code viewBox} and no width or height of its own: its coordinates fix the proportions and it scales
 * with the page; below {@link #MIN_WIDTH_PX} it scrolls rather than shrinking its text out of reach.
 */
public final class Charts {

    /** The narrowest a chart is drawn; a narrower container scrolls. */
    public static final int MIN_WIDTH_PX = 560;

    /** The styles of {@link #figure} and {@link #legend}; put them in the page's {@code <style>}. */
    public static final String CSS = ".chart{margin:8px 0 20px;max-width:1000px;overflow-x:auto}"
            + ".chart figcaption{font-size:13px}"
            + ".chart svg{display:block;width:100%;height:auto;min-width:" + MIN_WIDTH_PX + "px}"
            + ".legend{display:flex;flex-wrap:wrap;gap:2px 16px;margin:4px 0;padding:0;list-style:none;font-size:13px}"
            + ".legend li{display:flex;align-items:center;gap:5px}"
            + ".mark{display:inline-block;box-sizing:border-box;width:12px;height:12px}"
            + ".mark.line{width:18px;height:0;border-top:2px solid}.mark.dashed{width:18px;height:0;border-top:2px dashed}"
            + ".mark.rule{width:0;height:12px;border-left:2px solid}.mark.dashed-rule{width:0;height:12px;border-left:2px dashed}";

    /** How a legend entry shows its colour. */
    public enum Mark {
        /** A filled square: bars and areas. */
        BOX,
        /** A short solid line: a series. */
        LINE,
        /** A short dashed line: a threshold. */
        DASHED,
        /** A short vertical line: an event. */
        RULE,
        /** A short dashed vertical line: another kind of event. */
        DASHED_RULE
    }

    /** One entry of a legend: what a colour stands for. */
    public record Key(String label, String colour, Mark mark) {
        public Key {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(colour, "colour");
            Objects.requireNonNull(mark, "mark");
        }
    }

    private Charts() {
    }

    /** Returns a figure: the title, the legend under it, then {@code svg}. */
    public static String figure(String title, List<Key> legend, String svg) {
        return "<figure class=\"chart\"><figcaption>" + esc(title) + legend(legend) + "</figcaption>\n" + svg
                + "</figure>\n";
    }

    /** Returns the legend as a list, one item per key, in order. */
    public static String legend(List<Key> keys) {
        StringBuilder h = new StringBuilder("<ul class=\"legend\">");
        for (Key k : keys) {
            String mark = switch (k.mark()) {
                case BOX -> "mark\" style=\"background:" + k.colour();
                case LINE -> "mark line\" style=\"border-color:" + k.colour();
                case DASHED -> "mark dashed\" style=\"border-color:" + k.colour();
                case RULE -> "mark rule\" style=\"border-color:" + k.colour();
                case DASHED_RULE -> "mark dashed-rule\" style=\"border-color:" + k.colour();
            };
            h.append("<li><span class=\"").append(mark).append("\"></span>").append(esc(k.label())).append("</li>");
        }
        return h.append("</ul>").toString();
    }

    /** Returns the opening tag of a chart {@code width} × {@code height} in its own coordinates. */
    public static String svg(int width, int height, String label) {
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "role=\"img\" aria-label=\"%s\">", width, height, esc(label));
    }

    /** Escapes text for HTML and SVG. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
