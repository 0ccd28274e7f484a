package io.bulwark.tools.digits;

import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.digits.DigitModelType;
import io.bulwark.models.digits.DigitService;
import io.bulwark.models.digits.DigitVersions;
import io.bulwark.models.digits.ImageLimits;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws the README's pictures of the shipped digit model from its own answers on the 2,000 held-out digits: a grid of
 * held-out digits with the digit each was recognised as (wrong ones in red, with the truth), and the confusion
 * matrix. The model is the shipped version, installed into a temporary registry and served as {@code /digits} serves
 * it (ONNX Runtime, the variant given, default int8).
 *
 * <p>Usage: {@code DigitPictures OUT_DIR [VARIANT]} → {@code OUT_DIR/digits-held-out.png},
 * {@code OUT_DIR/digits-confusion.png}; prints the accuracy and the errors shown.
 */
public final class DigitPictures {

    static final int COLUMNS = 16;
    static final int ROWS = 10;
    static final int CELL = 56;
    static final int CAPTION = 18;

    private DigitPictures() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Files.createDirectories(Path.of(args[0]));
        String variant = args.length > 1 ? args[1] : "int8";
        JsonMapper json = JsonMapper.builder().build();
        Path registry = Files.createTempDirectory("bulwark-digit-pictures");
        DigitService service = new DigitService(new DigitVersions(new ModelRegistry(registry, json), json),
                DigitModelType.bundled(ImageLimits.defaults()), DigitService.Settings.defaults());
        String version = service.start();
        List<Labelled<DigitImage>> test = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED)
                .test();
        DigitService.Answers answers = service.recognise(test.stream().map(Labelled::input).toList(), null, variant);
        int[][] confusion = new int[10][10];
        int[] guessed = new int[test.size()];
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            DigitService.Answer a = answers.answers().get(i);
            guessed[i] = a.uncertain() ? a.bestGuess() : a.digit();
            int truth = Integer.parseInt(test.get(i).label());
            confusion[truth][guessed[i]]++;
            correct += truth == guessed[i] ? 1 : 0;
        }
        double accuracy = correct / (double) test.size();
        grid(test, guessed, out.resolve("digits-held-out.png"), version, answers.variant().wire());
        confusion(confusion, accuracy, out.resolve("digits-confusion.png"), version, answers.variant().wire());
        System.out.printf(Locale.ROOT, "%s %s: held-out accuracy %.4f (%d of %d); wrote %s and %s%n", version,
                answers.variant().wire(), accuracy, correct, test.size(), out.resolve("digits-held-out.png"),
                out.resolve("digits-confusion.png"));
        for (int t = 0; t < 10; t++) {
            StringBuilder row = new StringBuilder("truth " + t + ":");
            for (int p = 0; p < 10; p++) {
                row.append(String.format(Locale.ROOT, " %4d", confusion[t][p]));
            }
            System.out.println(row);
        }
    }

    /** Every 12th-or-so held-out digit (the rows are grouped by digit), 16 a row, its answer under it. */
    private static void grid(List<Labelled<DigitImage>> test, int[] guessed, Path file, String version,
                             String variant) throws IOException {
        int header = 24;
        BufferedImage img = new BufferedImage(COLUMNS * CELL, header + ROWS * (CELL + CAPTION),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("Held-out digits and " + version + " " + variant + "'s answers (red: wrong, with the truth)", 6,
                17);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int n = COLUMNS * ROWS;
        for (int k = 0; k < n; k++) {
            int i = k * test.size() / n;
            float[] ink = test.get(i).input().ink();
            int x0 = (k % COLUMNS) * CELL;
            int y0 = header + (k / COLUMNS) * (CELL + CAPTION);
            for (int y = 0; y < CELL; y++) {
                for (int x = 0; x < CELL; x++) {
                    int v = Math.round(255 * (1 - ink[(y * 28 / CELL) * 28 + x * 28 / CELL]));
                    img.setRGB(x0 + x, y0 + y, v << 16 | v << 8 | v);
                }
            }
            String truth = test.get(i).label();
            boolean right = truth.equals(Integer.toString(guessed[i]));
            g.setColor(right ? new Color(0, 110, 0) : Color.RED);
            g.drawString(right ? "→ " + guessed[i] : "→ " + guessed[i] + " (" + truth + ")", x0 + 8,
                    y0 + CELL + CAPTION - 5);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static void confusion(int[][] m, double accuracy, Path file, String version, String variant)
            throws IOException {
        int cell = 44;
        int left = 70;
        int top = 70;
        BufferedImage img = new BufferedImage(left + 10 * cell + 20, top + 10 * cell + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(String.format(Locale.ROOT, "Confusion matrix, %s %s, 2,000 held-out digits: accuracy %.4f",
                version, variant, accuracy), 8, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("answered →", left + 4 * cell, top - 28);
        g.drawString("truth ↓", 8, top - 8);
        int max = 0;
        for (int[] row : m) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        for (int t = 0; t < 10; t++) {
            g.setColor(Color.BLACK);
            g.drawString(Integer.toString(t), left - 18, top + t * cell + cell / 2 + 5);
            g.drawString(Integer.toString(t), left + t * cell + cell / 2 - 3, top - 8);
            for (int p = 0; p < 10; p++) {
                int v = m[t][p];
                Color c = v == 0 ? Color.WHITE : t == p
                        ? shade(new Color(30, 90, 200), v / (double) max)
                        : shade(new Color(210, 40, 40), Math.min(1, 0.25 + v / 10.0));
                g.setColor(c);
                g.fillRect(left + p * cell, top + t * cell, cell, cell);
                g.setColor(Color.LIGHT_GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(left + p * cell, top + t * cell, cell, cell);
                if (v > 0) {
                    g.setColor(t == p && v > max / 2 ? Color.WHITE : Color.BLACK);
                    String s = Integer.toString(v);
                    g.drawString(s, left + p * cell + cell / 2 - g.getFontMetrics().stringWidth(s) / 2,
                            top + t * cell + cell / 2 + 5);
                }
            }
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** {@code colour} at {@code strength} (0 white … 1 full). */
    private static Color shade(Color colour, double strength) {
        double s = Math.max(0.08, Math.min(1, strength));
        return new Color((int) (255 - s * (255 - colour.getRed())), (int) (255 - s * (255 - colour.getGreen())),
                (int) (255 - s * (255 - colour.getBlue())));
    }
}
