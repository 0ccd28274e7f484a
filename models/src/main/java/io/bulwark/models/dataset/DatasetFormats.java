package io.bulwark.models.dataset;

import io.bulwark.models.input.InputFormat;
import io.bulwark.models.input.RowReader;
import io.bulwark.resilience.failure.RequestRejected;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Opens the rows of a dataset body: CSV (header row), a JSON array, JSON lines, or XML, declared by the content type
 * or detected from the first significant byte as {@code /predict} does; a body that starts with an object is read
 * as JSON lines (one object a line).
 */
public final class DatasetFormats {

    /** Content types naming JSON lines. */
    static final Set<String> JSON_LINES = Set.of("application/x-ndjson", "application/ndjson", "application/jsonl",
            "application/x-jsonlines", "application/jsonlines", "application/json-lines");
    private static final int PEEK = 8192;

    private DatasetFormats() {
    }

    /** Rows and the name of the format they are read in ({@code csv}, {@code json}, {@code jsonl}, {@code xml}). */
    public record Opened(RowReader rows, String format) {
    }

    /** Opens {@code body}, read as it goes; throws 415 for a content type naming another format, 400 for no body. */
    public static Opened open(String contentType, InputStream body) {
        BufferedInputStream in = new BufferedInputStream(body, PEEK);
        byte[] head;
        try {
            in.mark(PEEK);
            head = in.readNBytes(PEEK);
            in.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String essence = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (JSON_LINES.contains(essence)) {
            return new Opened(RowReader.jsonLines(in), "jsonl");
        }
        InputFormat format = InputFormat.detect(contentType, head.length == 0 ? null : head);
        return switch (format) {
            case JSON -> firstSignificant(head) == '{'
                    ? new Opened(RowReader.jsonLines(in), "jsonl")
                    : new Opened(RowReader.open(InputFormat.JSON, in, true), "json");
            case CSV -> new Opened(RowReader.open(InputFormat.CSV, in, true), "csv");
            case XML -> new Opened(RowReader.open(InputFormat.XML, in, true), "xml");
        };
    }

    private static int firstSignificant(byte[] head) {
        int i = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF
                ? 3 : 0;
        for (; i < head.length; i++) {
            if (Arrays.binarySearch(new byte[]{'\t', '\n', '\r', ' '}, head[i]) < 0) {
                return head[i];
            }
        }
        throw new RequestRejected("missing_body", "body", "the dataset holds no rows");
    }
}
