package dev.agentetl.export;

import org.apache.avro.Schema;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Rows as {@link RowExtractor} takes them, written to Parquet's record consumer in the layout parquet-avro
 * gives the export's Avro schema (converted by parquet-avro's own {@link AvroSchemaConverter}, lists in its
 * default two-level form) and with its metadata: the Avro schema under {@code parquet.avro.schema} and the
 * writer model "avro". Values are written as AvroWriteSupport writes them, but each column's way of writing
 * is chosen once, when the file opens, instead of per value through Avro's data model.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {

    /** Where parquet-avro keeps the Avro schema in the footer (AvroReadSupport.AVRO_SCHEMA_METADATA_KEY, not public). */
    static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

    /** Writes one non-null value of a column. */
    private interface ValueWriter {
        void write(RecordConsumer out, Object value);
    }

    private final List<Column> columns;
    private final Schema avro;
    private String[] names;
    private ValueWriter[] writers;
    private RecordConsumer out;

    RowWriteSupport(List<Column> columns, Schema avro) {
        this.columns = columns;
        this.avro = avro;
    }

    @Override
    public String getName() {
        return "avro"; // the writer model readers find in the footer, as parquet-avro records it
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return init(new HadoopParquetConfiguration(configuration));
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        MessageType message = new AvroSchemaConverter(configuration).convert(avro);
        names = new String[columns.size()];
        writers = new ValueWriter[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Type type = message.getType(i);
            names[i] = type.getName();
            writers[i] = writer(columns.get(i), avro.getFields().get(i).schema().getTypes().get(1), type);
        }
        return new WriteContext(message, Map.of(AVRO_SCHEMA_KEY, avro.toString()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
        out.startMessage();
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v != null) { // a null is an absent optional field
                out.startField(names[i], i);
                writers[i].write(out, v);
                out.endField(names[i], i);
            }
        }
        out.endMessage();
    }

    /** How a column's values are written, from its PostgreSQL type and its Avro type (as ParquetSchema made it). */
    private static ValueWriter writer(Column c, Schema avroType, Type parquetType) {
        switch (c.type()) {
            case "int2", "int4": return (o, v) -> o.addInteger(((Long) v).intValue());
            case "int8", "oid": return (o, v) -> o.addLong((Long) v);
            case "float4": return (o, v) -> o.addFloat(((Double) v).floatValue());
            case "float8": return (o, v) -> o.addDouble((Double) v);
            case "bool": return (o, v) -> o.addBoolean((Boolean) v);
            case "numeric":
                if (avroType.getType() == Schema.Type.STRING) {
                    return (o, v) -> o.addBinary(Binary.fromString(((BigDecimal) v).toPlainString()));
                }
                // the scale is fixed by the column type, so this only adds trailing zeros
                int scale = c.scale();
                return (o, v) -> o.addBinary(Binary.fromConstantByteArray(
                        ((BigDecimal) v).setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().toByteArray()));
            case "timestamptz":
                return (o, v) -> {
                    OffsetDateTime t = (OffsetDateTime) v;
                    o.addLong(Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000L), t.getNano() / 1000));
                };
            case "timestamp":
                return (o, v) -> {
                    LocalDateTime t = (LocalDateTime) v;
                    o.addLong(Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000));
                };
            case "date": return (o, v) -> o.addInteger((int) ((LocalDate) v).toEpochDay());
            default:
                if (avroType.getType() == Schema.Type.ARRAY) return list(parquetType.asGroupType());
                // text as the server's UTF-8 bytes (RowExtractor.rawText), anything else by its text form
                return (o, v) -> o.addBinary(v instanceof byte[] bytes ? Binary.fromConstantByteArray(bytes) : Binary.fromString(v.toString()));
        }
    }

    /** A list in parquet-avro's two-level form: the LIST group, its repeated element field when not empty. */
    private static ValueWriter list(GroupType listType) {
        Type element = listType.getType(0);
        if (!element.isPrimitive()) {
            throw new IllegalArgumentException("cannot write a list of " + element + " to Parquet");
        }
        String name = element.getName();
        PrimitiveType.PrimitiveTypeName kind = element.asPrimitiveType().getPrimitiveTypeName();
        return (o, v) -> {
            Object[] items = (Object[]) v;
            o.startGroup();
            if (items.length > 0) {
                o.startField(name, 0);
                for (int i = 0; i < items.length; i++) {
                    Object item = items[i];
                    if (item == null) {
                        throw new NullPointerException("Array contains a null element at " + i + "; Parquet's two-level lists "
                                + "(parquet-avro's default) cannot hold a null element");
                    }
                    switch (kind) {
                        case INT32 -> o.addInteger(((Number) item).intValue());
                        case INT64 -> o.addLong(((Number) item).longValue());
                        case FLOAT -> o.addFloat(((Number) item).floatValue());
                        case DOUBLE -> o.addDouble(((Number) item).doubleValue());
                        case BOOLEAN -> o.addBoolean((Boolean) item);
                        default -> o.addBinary(Binary.fromString(item.toString()));
                    }
                }
                o.endField(name, 0);
            }
            o.endGroup();
        };
    }
}
