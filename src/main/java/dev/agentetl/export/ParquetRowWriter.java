package dev.agentetl.export;

import org.apache.avro.Schema;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Parquet without Hadoop's file system, rows streamed into row groups of bounded size. The file's schema and
 * metadata are parquet-avro's (the Avro schema of {@link ParquetSchema}, converted by parquet-avro and stored
 * under {@code parquet.avro.schema}, writer model "avro"), so readers see what AvroParquetWriter wrote; the
 * rows, though, go straight to Parquet's column writers ({@link RowWriteSupport}): no Avro record per row,
 * no union resolution or logical-type conversion per value, and text columns as the UTF-8 bytes the server
 * sent (see {@link RowExtractor#rawText}) instead of decoded to a String and encoded again.
 */
public final class ParquetRowWriter implements RowWriter {

    /** Row group size: what one open writer buffers in memory before it flushes to the file. */
    private static final int ROW_GROUP_BYTES = 32 << 20;

    private final ParquetWriter<Object[]> writer;

    public ParquetRowWriter(List<Column> columns, OutputStream out, String compression) throws IOException {
        Schema schema = ParquetSchema.of("row", columns);
        this.writer = new Builder(new StreamOutputFile(out), columns, schema)
                .withConf(new PlainParquetConfiguration())
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
        writer.write(values);
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final List<Column> columns;
        private final Schema schema;

        Builder(OutputFile file, List<Column> columns, Schema schema) {
            super(file);
            this.columns = columns;
            this.schema = schema;
        }

        @Override protected Builder self() { return this; }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(columns, schema);
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(columns, schema);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
