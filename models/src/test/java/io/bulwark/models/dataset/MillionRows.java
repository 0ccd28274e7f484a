package io.bulwark.models.dataset;

import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/**
 * Ingests a generated CSV of {@code rows} penguins (every 1,000th refused) that is never held in memory: the body is
 * made as it is read. {@link DatasetStreamingTest} runs it in a JVM whose heap is far smaller than the rows.
 * Prints {@code rows=<accepted> rejected=<rejected> ms=<time> peak_heap_mb=<peak>}.
 */
public final class MillionRows {

    private MillionRows() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        long start = System.nanoTime();
        DatasetStore<Penguin> store = new DatasetStore<>(dir, PenguinModelType.bundled(), JsonMapper.builder().build(),
                Clock.systemUTC(), rows + 1);
        DatasetFormats.Opened opened = DatasetFormats.open("text/csv", new Generated(rows, 42));
        DatasetVersion v;
        try (var reader = opened.rows()) {
            v = store.ingest(reader, DatasetStore.source("type", "generated"), "body").version();
        }
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("rows=" + v.rows() + " rejected=" + v.rejectedRows() + " ms="
                + (System.nanoTime() - start) / 1_000_000 + " peak_heap_mb=" + peak / (1024 * 1024)
                + " max_heap_mb=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    /** A CSV body written as it is read: a header, then {@code rows} seeded rows. */
    static final class Generated extends InputStream {
        private static final String[] ISLANDS = {"Biscoe", "Dream", "Torgersen"};
        private static final String[] SPECIES = {"Adelie", "Chinstrap", "Gentoo"};
        private final long rows;
        private final Random random;
        private long made = -1;
        private byte[] line = new byte[0];
        private int at;

        Generated(long rows, long seed) {
            this.rows = rows;
            this.random = new Random(seed);
        }

        private boolean fill() {
            if (made >= rows) {
                return false;
            }
            String text;
            if (made < 0) {
                text = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,species\n";
            } else if (made % 1000 == 999) {
                text = "Atlantis,40,18,190,3500,female,Adelie\n";
            } else {
                text = ISLANDS[random.nextInt(3)] + "," + (35 + random.nextInt(200) / 10.0) + ","
                        + (14 + random.nextInt(70) / 10.0) + "," + (175 + random.nextInt(55)) + ","
                        + (2800 + random.nextInt(3400)) + "," + (random.nextBoolean() ? "male" : "female") + ","
                        + SPECIES[random.nextInt(3)] + "\n";
            }
            made++;
            line = text.getBytes(StandardCharsets.US_ASCII);
            at = 0;
            return true;
        }

        @Override
        public int read() {
            if (at >= line.length && !fill()) {
                return -1;
            }
            return line[at++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                if (at >= line.length && !fill()) {
                    break;
                }
                int k = Math.min(len - n, line.length - at);
                System.arraycopy(line, at, b, off + n, k);
                at += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }
    }
}
