package io.bulwark.models.digits;

import io.bulwark.models.train.Labelled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Golden tests of the MNIST steps: a shape whose 28×28 is worked out by hand, and a real MNIST digit moved,
 * inverted, enlarged and coloured, which must give the 28×28 of the digit as given.
 */
class MnistPreprocessorTest {

    static float[] seven;

    @BeforeAll
    static void firstSeven() throws IOException {
        try (InputStream in = new GZIPInputStream(MnistPreprocessorTest.class.getClassLoader()
                .getResourceAsStream(DigitData.RESOURCE))) {
            byte[] all = in.readAllBytes();
            for (int at = 0; ; at += 785) {
                if (all[at] == 7) {
                    seven = new float[784];
                    for (int i = 0; i < 784; i++) {
                        seven[i] = (all[at + 1 + i] & 0xff) / 255f;
                    }
                    return;
                }
            }
        }
    }

    @Test
    void should_scale_a_bar_into_the_20_pixel_box_and_centre_its_mass_as_worked_out_by_hand() {
        // A 40×10 white bar on black at (7, 30) of a 60×60 canvas: scaled by 1/2 to 20×5, mass centre (9.5, 2)
        // in the box, so the box goes to x = round(14 - 9.5) = 5 (half up), y = round(14 - 2) = 12.
        float[] canvas = new float[60 * 60];
        for (int y = 30; y < 40; y++) {
            for (int x = 7; x < 47; x++) {
                canvas[y * 60 + x] = 1;
            }
        }
        float[] out = MnistPreprocessor.centre(canvas, 60, 60);
        float[] expected = new float[784];
        for (int y = 12; y < 17; y++) {
            for (int x = 5; x < 25; x++) {
                expected[y * 28 + x] = 1;
            }
        }
        assertThat(out).containsExactly(expected);
    }

    @Test
    void should_give_a_centred_mnist_digit_a_20_pixel_box_and_its_mass_at_the_centre() {
        float[] out = MnistPreprocessor.centre(seven, 28, 28);
        int top = 28, bottom = -1, left = 28, right = -1;
        double mass = 0, cx = 0, cy = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = out[y * 28 + x];
                mass += v;
                cx += v * x;
                cy += v * y;
                if (v > 0) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        assertThat(Math.max(bottom - top + 1, right - left + 1)).isEqualTo(20);
        assertThat(cx / mass).isCloseTo(14, within(0.5));
        assertThat(cy / mass).isCloseTo(14, within(0.5));
        // MNIST digits are centred the same way already: the result stays close to the digit as given.
        double diff = 0;
        for (int i = 0; i < 784; i++) {
            diff += Math.abs(out[i] - seven[i]);
        }
        assertThat(diff / sum(seven)).isLessThan(0.35);
    }

    @Test
    void should_give_the_same_28x28_for_the_digit_off_centre_in_a_larger_canvas() {
        float[] canvas = new float[90 * 70];
        for (int y = 0; y < 28; y++) {
            System.arraycopy(seven, y * 28, canvas, (y + 3) * 90 + 55, 28);
        }
        assertThat(MnistPreprocessor.centre(canvas, 90, 70)).containsExactly(MnistPreprocessor.centre(seven, 28, 28));
    }

    @Test
    void should_invert_a_digit_written_dark_on_light() {
        float[] inverted = new float[784];
        for (int i = 0; i < 784; i++) {
            inverted[i] = 1 - seven[i];
        }
        // 1 - (1 - v) is v up to float rounding
        assertThat(MnistPreprocessor.centre(inverted, 28, 28)).containsExactly(MnistPreprocessor.centre(seven, 28, 28),
                within(1e-5f));
    }

    @Test
    void should_read_blue_ink_on_cream_paper_from_a_png_as_the_grey_digit() throws IOException {
        // The digit twice as large, blue ink on cream paper, through the real PNG path; the grey reference is
        // the same enlargement as grey levels.
        int side = 56;
        BufferedImage colour = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        float[] grey = new float[side * side];
        int[] paper = {250, 240, 200};
        int[] ink = {20, 40, 160};
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float t = seven[(y / 2) * 28 + x / 2];
                int r = Math.round(paper[0] + t * (ink[0] - paper[0]));
                int g = Math.round(paper[1] + t * (ink[1] - paper[1]));
                int b = Math.round(paper[2] + t * (ink[2] - paper[2]));
                colour.setRGB(x, y, r << 16 | g << 8 | b);
                grey[y * side + x] = t;
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(colour, "png", png);

        float[] read = DigitInputs.image(png.toByteArray(), "image", ImageLimits.defaults()).ink();
        float[] reference = MnistPreprocessor.centre(grey, side, side);
        for (int i = 0; i < 784; i++) {
            // 8-bit colour rounding moves a level by at most a few hundredths
            assertThat(read[i]).as("pixel %d", i).isCloseTo(reference[i], within(0.03f));
        }
    }

    @Test
    void should_refuse_a_blank_image() {
        float[] paper = new float[40 * 40];
        java.util.Arrays.fill(paper, 0.93f);
        paper[5] = 0.9f; // a speck of dust, below the contrast a digit has
        assertThatThrownBy(() -> MnistPreprocessor.centre(paper, 40, 40)).isInstanceOf(MnistPreprocessor.Blank.class);
    }

    @Test
    void should_load_the_bundled_data_with_a_stratified_8000_2000_split() {
        DigitData data = DigitData.bundled();
        var split = data.split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED);

        assertThat(data.rows()).hasSize(10_000);
        assertThat(data.sha256()).isEqualTo("6776b41865013349922ff99a2edc75d9d5e4eaccf3bb5aa198f35d527f322aaa");
        assertThat(split.train()).hasSize(8_000);
        assertThat(split.test()).hasSize(2_000);
        assertThat(split.test().stream().map(Labelled::label).distinct()).hasSize(10);
        assertThat(split.test().stream().filter(r -> r.label().equals("1")).count()).isEqualTo(225); // 1127 × 0.2
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
