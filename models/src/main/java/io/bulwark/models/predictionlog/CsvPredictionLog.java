package io.bulwark.models.predictionlog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A CSV log (RFC 4180) with a header row of {@link PredictionRecord#COLUMNS}. Newlines inside values (there
 * are none in practice: inputs are compact JSON) are replaced by spaces, so one record is always one line.
 */
final class CsvPredictionLog implements PredictionLog {

    private final AppendOnlyFile file;

    CsvPredictionLog(Path path, boolean sync) {
        this.file = new AppendOnlyFile(path, sync);
        if (file.wasEmpty()) {
            file.append(line(PredictionRecord.COLUMNS));
        }
    }

    @Override
    public void append(PredictionRecord record) {
        file.append(line(record.values()));
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
