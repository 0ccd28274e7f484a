package io.bulwark.tools.digits;

import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.train.Labelled;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes held-out digits as the PNG bodies of the load test ({@code benchmarks/wrk/digits.lua}): each drawn as a
 * photo of paper would show it, dark ink on white, three times larger (84 × 84), named {@code <n>-<label>.png}.
 *
 * <p>Usage: {@code HeldOutPngs DIR [COUNT]} (default 100, every 20th of the 2,000 held-out digits).
 */
public final class HeldOutPngs {

    private HeldOutPngs() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        List<Labelled<DigitImage>> test = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED)
                .test();
        for (int n = 0; n < count; n++) {
            Labelled<DigitImage> d = test.get(n * test.size() / count);
            float[] ink = d.input().ink();
            BufferedImage img = new BufferedImage(84, 84, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 84; y++) {
                for (int x = 0; x < 84; x++) {
                    int v = Math.round(255 * (1 - ink[(y / 3) * 28 + x / 3]));
                    img.setRGB(x, y, v << 16 | v << 8 | v);
                }
            }
            ImageIO.write(img, "png", dir.resolve(n + "-" + d.label() + ".png").toFile());
        }
        System.out.println("wrote " + count + " PNGs into " + dir);
    }
}
