package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;

/**
 * Reads rows one at a time from a body, never holding more than one row's fields: the streaming half of
 * {@code /predict_batch}. A syntax error that makes the rest unreadable is an {@link RequestRejected} thrown by
 * {@link #next()}; a row that is readable but not a row is returned with its {@link Row#error()}.
 */
public interface RowReader extends AutoCloseable {

    /** Returns the next row, or null after the last. */
    Row next();

    @Override
    void close();

    /**
     * Opens a reader over {@code body}.
     *
     * @param many true for a batch (a JSON array, CSV rows, an XML element of row elements); false for a single
     *             row (a JSON object, one CSV row, an XML element of fields)
     */
    static RowReader open(InputFormat format, byte[] body, boolean many) {
        return switch (format) {
            case JSON -> new JsonRowReader(body, many);
            case CSV -> new CsvRowReader(body);
            case XML -> new XmlRowReader(body, many);
        };
    }

    /**
     * Opens a reader over a stream, which it reads as it goes (a body too large to hold, e.g. a dataset fetched over
     * HTTP); see {@link #open(InputFormat, byte[], boolean)}.
     */
    static RowReader open(InputFormat format, java.io.InputStream body, boolean many) {
        return switch (format) {
            case JSON -> new JsonRowReader(body, many);
            case CSV -> new CsvRowReader(body);
            case XML -> new XmlRowReader(body, many);
        };
    }

    /** Opens a reader over JSON lines: one JSON object after another (a line each), every one a row. */
    static RowReader jsonLines(java.io.InputStream body) {
        return JsonRowReader.lines(body);
    }

    /** Returns the row of a single-row body, or throws the 400 saying why there is not exactly one. */
    static Row single(InputFormat format, byte[] body) {
        try (RowReader reader = open(format, body, false)) {
            Row row = reader.next();
            if (row == null) {
                throw new RequestRejected("missing_body", "body", "the body holds no row"
                        + (format == InputFormat.CSV ? ": send a header row and one row of values" : ""));
            }
            if (reader.next() != null) {
                throw new RequestRejected("too_many_rows", "body",
                        "/predict takes one row; send several to /predict_batch");
            }
            return row;
        }
    }
}
