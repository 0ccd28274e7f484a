package io.bulwark.functions.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads an uncompressed tar (ustar, GNU long names) as the image's tarballs are written, names without a leading
 * {@code ./}: enough for the tests.
 */
final class Tar {

    private static final int BLOCK = 512;

    private Tar() {
    }

    /** The regular files whose names {@code keep} accepts, by name, in order. */
    static Map<String, byte[]> read(InputStream in, Predicate<String> keep) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        walk(in, (name, type, content) -> {
            if (type == '0' || type == 0) {
                if (keep.test(name)) {
                    files.put(name, content.readAllBytes());
                }
            }
        });
        return files;
    }

    /** The names of every entry. */
    static List<String> names(InputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        walk(in, (name, type, content) -> names.add(name));
        return names;
    }

    private interface Visitor {
        void entry(String name, char type, InputStream content) throws IOException;
    }

    private static void walk(InputStream raw, Visitor visitor) throws IOException {
        try (InputStream in = raw) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (in.readNBytes(header, 0, BLOCK) == BLOCK && header[0] != 0) {
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(text(header, 124, 12).strip(), 8);
                char type = (char) header[156];
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
                if (type == 'L') {
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                if (name.startsWith("./")) {
                    name = name.substring(2);
                }
                if (!name.isEmpty()) {
                    visitor.entry(name, type, new java.io.ByteArrayInputStream(content));
                }
            }
        }
    }

    private static String text(byte[] header, int from, int length) {
        int end = from;
        while (end < from + length && header[end] != 0) {
            end++;
        }
        return new String(header, from, end - from, StandardCharsets.US_ASCII);
    }
}
