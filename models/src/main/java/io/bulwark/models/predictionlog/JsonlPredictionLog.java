package io.bulwark.models.predictionlog;

import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;

/** A JSON Lines log: one JSON object per line. */
final class JsonlPredictionLog implements PredictionLog {

    private final AppendOnlyFile file;
    private final JsonMapper json;

    JsonlPredictionLog(Path path, PredictionLog.Options options, JsonMapper json, AppendOnlyFile.Channels channels) {
        this.file = new AppendOnlyFile(path, options, null, channels);
        this.json = json;
    }

    @Override
    public void append(PredictionRecord record) {
        file.append(line(record));
    }

    @Override
    public void appendAll(List<PredictionRecord> records) {
        // lines are encoded as they are written: a batch's records are never all encoded at once
        file.appendAll(new AbstractList<>() {
            @Override
            public byte[] get(int i) {
                return line(records.get(i));
            }

            @Override
            public int size() {
                return records.size();
            }
        });
    }

    private byte[] line(PredictionRecord record) {
        byte[] body = json.writeValueAsBytes(record); // Jackson escapes newlines inside strings
        byte[] line = new byte[body.length + 1];
        System.arraycopy(body, 0, line, 0, body.length);
        line[body.length] = '\n';
        return line;
    }

    @Override
    public void close() {
        file.close();
    }
}
