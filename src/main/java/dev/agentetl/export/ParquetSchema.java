package dev.agentetl.export;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

import java.util.List;

/**
 * The Avro (and so Parquet) schema of an export, from the PostgreSQL column types: integers, floats,
 * booleans, numeric(p,s) as decimal, timestamptz as timestamp-micros (UTC), timestamp as
 * local-timestamp-micros, date, uuid, arrays as lists; json/jsonb and anything else as strings.
 * Unconstrained numeric has no fixed scale, so it is written as a string rather than rounded.
 */
final class ParquetSchema {

    private ParquetSchema() {
    }

    static Schema of(String name, List<Column> columns) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(avroName(name)).namespace("agentetl.export").fields();
        for (Column c : columns) {
            fields = fields.name(avroName(c.name())).doc(c.name()).type(nullable(type(c.type(), c))).withDefault(null);
        }
        return fields.endRecord();
    }

    static Schema type(String pgType, Column c) {
        return switch (pgType) {
            case "int2", "int4" -> Schema.create(Schema.Type.INT);
            case "int8", "oid" -> Schema.create(Schema.Type.LONG);
            case "float4" -> Schema.create(Schema.Type.FLOAT);
            case "float8" -> Schema.create(Schema.Type.DOUBLE);
            case "bool" -> Schema.create(Schema.Type.BOOLEAN);
            case "numeric" -> c != null && c.precision() != null && c.precision() <= 38
                    ? LogicalTypes.decimal(c.precision(), c.scale()).addToSchema(Schema.create(Schema.Type.BYTES))
                    : Schema.create(Schema.Type.STRING);
            case "timestamptz" -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "timestamp" -> LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "date" -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case "uuid" -> LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
            default -> pgType.startsWith("_")
                    ? Schema.createArray(nullable(type(pgType.substring(1), null)))
                    : Schema.create(Schema.Type.STRING);
        };
    }

    static Schema nullable(Schema s) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), s);
    }

    /** Avro names are [A-Za-z_][A-Za-z0-9_]*; the original name stays in the field's doc. */
    static String avroName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(n.isEmpty() ? '0' : n.charAt(0)) || n.isEmpty() ? "_" + n : n;
    }
}
