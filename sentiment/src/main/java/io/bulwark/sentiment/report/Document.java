package io.bulwark.sentiment.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report written once and rendered twice, as Markdown and as self-contained HTML, so that both carry the same
 * numbers: headings, paragraphs (with {@code **bold**} and {@code `code`}), tables, preformatted text, and figures
 * that only the HTML draws (the Markdown points to them).
 */
public final class Document {

    /** One block of the report. */
    public sealed interface Block permits Heading, Paragraph, Table, Preformatted, Figure, Details {
    }

    /** A heading of {@code level} 1..4. */
    public record Heading(int level, String text) implements Block {
    }

    /** A paragraph, or a bullet when {@code bullet}. */
    public record Paragraph(String text, boolean bullet) implements Block {
    }

    /** A table; {@code numeric} columns are right-aligned. */
    public record Table(List<String> header, List<Boolean> numeric, List<List<String>> rows) implements Block {
        public Table {
            header = List.copyOf(header);
            numeric = List.copyOf(numeric);
            rows = rows.stream().map(List::copyOf).toList();
            int columns = header.size();
            if (numeric.size() != columns || rows.stream().anyMatch(r -> r.size() != columns)) {
                throw new IllegalArgumentException("every row of a table needs one cell per column");
            }
        }
    }

    /** Preformatted text (arithmetic, a chain). */
    public record Preformatted(String text) implements Block {
    }

    /** A figure drawn in HTML only; the Markdown says where to see it. */
    public record Figure(String html, String title) implements Block {
    }

    /** Text folded under a summary. */
    public record Details(String summary, String text) implements Block {
    }

    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private final List<Block> blocks = new ArrayList<>();

    public Document heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    public Document paragraph(String text) {
        blocks.add(new Paragraph(text.strip(), false));
        return this;
    }

    public Document bullet(String text) {
        blocks.add(new Paragraph(text.strip(), true));
        return this;
    }

    public Document table(List<String> header, List<Boolean> numeric, List<List<String>> rows) {
        blocks.add(new Table(header, numeric, rows));
        return this;
    }

    public Document preformatted(String text) {
        blocks.add(new Preformatted(text));
        return this;
    }

    public Document figure(String title, String html) {
        blocks.add(new Figure(Objects.requireNonNull(html, "html"), title));
        return this;
    }

    public Document details(String summary, String text) {
        blocks.add(new Details(summary, text));
        return this;
    }

    /** Returns the blocks, in order. */
    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** Returns the tables, in order: what the Markdown and the HTML both carry. */
    public List<Table> tables() {
        return blocks.stream().filter(Table.class::isInstance).map(Table.class::cast).toList();
    }

    /** Renders the report as Markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        Block previous = null;
        for (Block b : blocks) {
            if (previous instanceof Paragraph p && p.bullet() && !(b instanceof Paragraph q && q.bullet())) {
                md.append('\n');
            }
            switch (b) {
                case Heading h -> md.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
                case Paragraph p when p.bullet() -> md.append("- ").append(p.text()).append('\n');
                case Paragraph p -> md.append(p.text()).append("\n\n");
                case Table t -> {
                    md.append("| ").append(String.join(" | ", t.header().stream().map(Document::cell).toList()))
                            .append(" |\n|");
                    t.numeric().forEach(n -> md.append(n ? "---:|" : "---|"));
                    md.append('\n');
                    for (List<String> row : t.rows()) {
                        md.append("| ").append(String.join(" | ", row.stream().map(Document::cell).toList()))
                                .append(" |\n");
                    }
                    md.append('\n');
                }
                case Preformatted p -> md.append("```\n").append(p.text().stripTrailing()).append("\n```\n\n");
                case Figure f -> md.append("*Figure (in the HTML report): ").append(f.title()).append("*\n\n");
                case Details d -> md.append("<details><summary>").append(d.summary()).append("</summary>\n\n```\n")
                        .append(d.text().stripTrailing()).append("\n```\n\n</details>\n\n");
            }
            previous = b;
        }
        return md.toString().stripTrailing() + "\n";
    }

    /** Renders the report as one HTML page with {@code css} (and {@link Charts#CSS}) inline. */
    public String html(String title, String css) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Charts.esc(title))
                .append("</title>\n<style>").append(css).append(Charts.CSS).append("</style></head><body>\n");
        boolean inList = false;
        for (Block b : blocks) {
            boolean bullet = b instanceof Paragraph p && p.bullet();
            if (bullet && !inList) {
                h.append("<ul>\n");
            } else if (!bullet && inList) {
                h.append("</ul>\n");
            }
            inList = bullet;
            switch (b) {
                case Heading x -> h.append("<h").append(x.level()).append('>').append(inline(x.text())).append("</h")
                        .append(x.level()).append(">\n");
                case Paragraph p when p.bullet() -> h.append("<li>").append(inline(p.text())).append("</li>\n");
                case Paragraph p -> h.append("<p>").append(inline(p.text())).append("</p>\n");
                case Table t -> {
                    h.append("<div class=\"scroll\"><table><tr>");
                    t.header().forEach(c -> h.append("<th>").append(inline(c)).append("</th>"));
                    h.append("</tr>\n");
                    for (List<String> row : t.rows()) {
                        h.append("<tr>");
                        for (int i = 0; i < row.size(); i++) {
                            h.append(t.numeric().get(i) ? "<td class=n>" : "<td>").append(inline(row.get(i)))
                                    .append("</td>");
                        }
                        h.append("</tr>\n");
                    }
                    h.append("</table></div>\n");
                }
                case Preformatted p -> h.append("<pre>").append(Charts.esc(p.text().stripTrailing())).append("</pre>\n");
                case Figure f -> h.append(f.html());
                case Details d -> h.append("<details><summary>").append(inline(d.summary())).append("</summary><pre>")
                        .append(Charts.esc(d.text().stripTrailing())).append("</pre></details>\n");
            }
        }
        if (inList) {
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** Escapes text for HTML, then turns {@code **bold**} and {@code `code`} into tags. */
    static String inline(String text) {
        String escaped = Charts.esc(text);
        Matcher code = CODE.matcher(escaped);
        escaped = code.replaceAll("<code>$1</code>");
        return BOLD.matcher(escaped).replaceAll("<b>$1</b>");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
