package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CSV rows (RFC 4180 quoting, first line the header, names matched without regard to case or surrounding
 * spaces), read line by line with Jackson's CSV parser.
 */
final class CsvRowReader implements RowReader {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvReadFeature.WRAP_AS_ARRAY)
            .enable(CsvReadFeature.SKIP_EMPTY_LINES)
            .enable(CsvReadFeature.TRIM_SPACES)
            .build();

    private final MappingIterator<String[]> lines;
    private final String[] header;
    private int index;

    CsvRowReader(byte[] body) {
        this(new java.io.ByteArrayInputStream(body));
    }

    CsvRowReader(java.io.InputStream body) {
        try {
            lines = CSV.readerFor(String[].class).readValues(body);
        } catch (JacksonException e) {
            throw malformed(e);
        }
        String[] h = nextLine();
        if (h == null) {
            throw new RequestRejected("missing_body", "body", "the CSV body is empty: send a header row, then rows");
        }
        header = new String[h.length];
        for (int i = 0; i < h.length; i++) {
            header[i] = h[i].strip().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public Row next() {
        String[] values = nextLine();
        if (values == null) {
            return null;
        }
        int i = index++;
        if (values.length != header.length) {
            return new Row(i, null, new RequestRejected("wrong_column_count", "row", "row " + i + " has " + values.length
                    + " values; the header has " + header.length));
        }
        Map<String, String> fields = new HashMap<>();
        for (int c = 0; c < values.length; c++) {
            fields.put(header[c], values[c]);
        }
        return new Row(i, fields, null);
    }

    private String[] nextLine() {
        try {
            return lines.hasNextValue() ? lines.nextValue() : null;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    private static RequestRejected malformed(JacksonException e) {
        String what = e.getOriginalMessage();
        int cut = what.indexOf('\n');
        what = cut < 0 ? what : what.substring(0, cut);
        String where = e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "";
        return new RequestRejected("malformed_csv", "body", "the request body is not valid CSV: " + what + where);
    }

    @Override
    public void close() {
        lines.close();
    }
}
