package io.bulwark.models.predictionlog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A CSV log (RFC 4180) with a header row of {@link PredictionRecord#COLUMNS}. Newlines inside values (there
 * are none in practice: inputs are compact JSON) are replaced by spaces, so one record is always one line. Every
 * file, rotated ones included, starts with the header.
 */
final class CsvPredictionLog implements PredictionLog {

    private final AppendOnlyFile file;

    CsvPredictionLog(Path path, PredictionLog.Options options, AppendOnlyFile.Channels channels) {
        this.file = new AppendOnlyFile(path, options, line(PredictionRecord.COLUMNS), channels);
    }

    @Override
    public void append(PredictionRecord record) {
        file.append(line(record.values()));
    }

    @Override
    public void appendAll(List<PredictionRecord> records) {
        file.appendAll(new java.util.AbstractList<>() {
            @Override
            public byte[] get(int i) {
                return line(records.get(i).values());
            }

            @Override
            public int size() {
                return records.size();
            }
        });
    }

    static byte[] line(String[] values) {
        StringBuilder sb = new StringBuilder(128);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = values[i];
            if (v == null) {
                continue;
            }
            v = v.replace('\r', ' ').replace('\n', ' ');
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        file.close();
    }
}
