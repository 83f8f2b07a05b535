package dev.agentetl.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** One JSON object per line: numbers as numbers (numeric exact), jsonb nested, timestamps ISO-8601 with microseconds. */
final class JsonLinesRowWriter implements RowWriter {

    private final List<Column> columns;
    private final JsonGenerator json;

    JsonLinesRowWriter(List<Column> columns, OutputStream out) throws IOException {
        this.columns = columns;
        this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        this.json.setRootValueSeparator(null);
        this.json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }

    @Override
    public void write(ResultSet rs) throws SQLException, IOException {
        json.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            json.writeFieldName(c.name());
            writeValue(rs, i + 1, c);
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void writeValue(ResultSet rs, int i, Column c) throws SQLException, IOException {
        switch (c.type()) {
            case "int2", "int4", "int8", "oid" -> {
                long v = rs.getLong(i);
                if (rs.wasNull()) json.writeNull(); else json.writeNumber(v);
            }
            case "float4", "float8" -> {
                double v = rs.getDouble(i);
                if (rs.wasNull()) json.writeNull();
                else if (Double.isFinite(v)) json.writeNumber(v);
                else json.writeString(Double.toString(v));
            }
            case "numeric" -> {
                java.math.BigDecimal v = rs.getBigDecimal(i);
                if (v == null) json.writeNull(); else json.writeNumber(v);
            }
            case "bool" -> {
                boolean v = rs.getBoolean(i);
                if (rs.wasNull()) json.writeNull(); else json.writeBoolean(v);
            }
            case "json", "jsonb" -> {
                String v = rs.getString(i);
                if (v == null) json.writeNull(); else json.writeRawValue(v);
            }
            case "timestamptz" -> string(Values.timestampTz(rs, i));
            case "timestamp" -> string(Values.timestamp(rs, i));
            default -> {
                if (c.isArray()) {
                    Array a = rs.getArray(i);
                    if (a == null) {
                        json.writeNull();
                    } else {
                        json.writeStartArray();
                        for (Object o : (Object[]) a.getArray()) {
                            json.writeObject(o instanceof java.util.UUID u ? u.toString() : o);
                        }
                        json.writeEndArray();
                    }
                } else {
                    string(rs.getString(i));
                }
            }
        }
    }

    private void string(String s) throws IOException {
        if (s == null) json.writeNull(); else json.writeString(s);
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
