package dev.agentetl.export;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Parquet through parquet-avro without Hadoop's file system: rows streamed into row groups of bounded size. */
public final class ParquetRowWriter implements RowWriter {

    /** Row group size: what one open writer buffers in memory before it flushes to the file. */
    private static final int ROW_GROUP_BYTES = 32 << 20;

    private final List<Column> columns;
    private final Schema schema;
    /** The non-null branch of each field's union, looked up once rather than per value. */
    private final Schema[] types;
    private final ParquetWriter<GenericRecord> writer;

    public ParquetRowWriter(List<Column> columns, OutputStream out, String compression) throws IOException {
        this.columns = columns;
        this.schema = ParquetSchema.of("row", columns);
        this.types = schema.getFields().stream().map(f -> f.schema().getTypes().get(1)).toArray(Schema[]::new);
        this.writer = AvroParquetWriter.<GenericRecord>builder(new StreamOutputFile(out))
                .withConf(new PlainParquetConfiguration())
                .withSchema(schema)
                .withCompressionCodec(codec(compression))
                .withRowGroupSize((long) ROW_GROUP_BYTES)
                .build();
    }

    static CompressionCodecName codec(String compression) {
        return switch (compression == null ? "snappy" : compression.toLowerCase()) {
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "zstd" -> CompressionCodecName.ZSTD;
            case "none", "uncompressed" -> CompressionCodecName.UNCOMPRESSED;
            default -> throw new IllegalArgumentException("unknown compression '" + compression + "'; use snappy, zstd or none");
        };
    }

    @Override
    public void write(Object[] values) throws IOException {
        GenericData.Record record = new GenericData.Record(schema);
        for (int i = 0; i < columns.size(); i++) {
            record.put(i, value(values[i], columns.get(i), types[i]));
        }
        writer.write(record);
    }

    private static Object value(Object v, Column c, Schema type) {
        if (v == null) return null;
        switch (c.type()) {
            case "int2", "int4": return ((Long) v).intValue();
            case "int8", "oid": return v;
            case "float4": return ((Double) v).floatValue();
            case "float8", "bool": return v;
            case "numeric": {
                BigDecimal d = (BigDecimal) v;
                if (type.getType() == Schema.Type.STRING) return d.toPlainString();
                // scale is fixed by the column type, so this only adds trailing zeros
                return ByteBuffer.wrap(d.setScale(c.scale(), RoundingMode.UNNECESSARY).unscaledValue().toByteArray());
            }
            case "timestamptz": {
                OffsetDateTime t = (OffsetDateTime) v;
                return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000L), t.getNano() / 1000);
            }
            case "timestamp": {
                LocalDateTime t = (LocalDateTime) v;
                return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000);
            }
            case "date": return (int) ((LocalDate) v).toEpochDay();
            default: {
                if (v instanceof Object[] array) {
                    List<Object> items = new ArrayList<>();
                    for (Object o : array) {
                        items.add(o == null || o instanceof Number || o instanceof Boolean ? o : o.toString());
                    }
                    return items;
                }
                return v.toString();
            }
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /** Parquet's output file over our stream (which counts bytes and computes the checksum). */
    private record StreamOutputFile(OutputStream out) implements OutputFile {
        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                long pos;

                @Override public long getPos() { return pos; }
                @Override public void write(int b) throws IOException { out.write(b); pos++; }
                @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); pos += len; }
                @Override public void flush() throws IOException { out.flush(); }
                @Override public void close() throws IOException { out.close(); }
            };
        }

        @Override public PositionOutputStream createOrOverwrite(long blockSizeHint) { return create(blockSizeHint); }
        @Override public boolean supportsBlockSize() { return false; }
        @Override public long defaultBlockSize() { return 0; }
    }
}
