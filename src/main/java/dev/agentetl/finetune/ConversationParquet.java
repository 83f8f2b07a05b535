package dev.agentetl.finetune;

import dev.agentetl.export.StreamOutputFile;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fine-tuning examples as Parquet that Hugging Face {@code datasets} and TRL read as conversations:
 * {@code messages} a list of structs (role, content, tool_calls as a list of structs, tool_call_id, weight)
 * and {@code tools} a list of structs (type, function: name, description, parameters), next to the
 * example's conversation, source and token count. A tool's parameters are a JSON schema of any shape, so
 * they stay JSON text inside the struct; tool call arguments are JSON text in OpenAI's format too. Lists
 * are written in Parquet's standard three-level LIST layout. Written with parquet-avro, the same library
 * the export job uses, but this writer is the finetune job's own.
 */
final class ConversationParquet implements AutoCloseable {

    /** Row group size: what one open writer buffers in memory before it flushes to the file. */
    private static final int ROW_GROUP_BYTES = 32 << 20;

    static final Schema FUNCTION_CALL = SchemaBuilder.record("function_call").fields()
            .requiredString("name").requiredString("arguments").endRecord();
    static final Schema TOOL_CALL = SchemaBuilder.record("tool_call").fields()
            .requiredString("id").requiredString("type").name("function").type(FUNCTION_CALL).noDefault().endRecord();
    static final Schema MESSAGE = SchemaBuilder.record("message").fields()
            .requiredString("role")
            .optionalString("content")
            .name("tool_calls").type().optional().array().items(TOOL_CALL)
            .optionalString("tool_call_id")
            .optionalInt("weight")
            .endRecord();
    static final Schema FUNCTION = SchemaBuilder.record("function").fields()
            .requiredString("name").optionalString("description").optionalString("parameters").endRecord();
    static final Schema TOOL = SchemaBuilder.record("tool").fields()
            .requiredString("type").name("function").type(FUNCTION).noDefault().endRecord();
    static final Schema EXAMPLE = SchemaBuilder.record("example").namespace("dev.agentetl.finetune").fields()
            .name("messages").type().array().items(MESSAGE).noDefault()
            .name("tools").type().optional().array().items(TOOL)
            .optionalString("conversation_id")
            .requiredString("source")
            .requiredString("source_id")
            .optionalString("model")
            .requiredInt("tokens")
            .endRecord();

    private final ParquetWriter<GenericRecord> writer;

    ConversationParquet(OutputStream out) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set("parquet.avro.write-old-list-structure", "false"); // LIST with element: what Arrow and Spark expect
        this.writer = AvroParquetWriter.<GenericRecord>builder(new StreamOutputFile(out))
                .withConf(conf)
                .withSchema(EXAMPLE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize((long) ROW_GROUP_BYTES)
                .build();
    }

    void write(Example example, int tokens) throws IOException {
        GenericData.Record r = new GenericData.Record(EXAMPLE);
        List<GenericRecord> messages = new ArrayList<>(example.messages().size());
        for (JsonNode m : example.messages()) messages.add(message(m));
        r.put("messages", messages);
        if (example.tools() != null) {
            List<GenericRecord> tools = new ArrayList<>(example.tools().size());
            for (JsonNode t : example.tools()) tools.add(tool(t));
            r.put("tools", tools);
        }
        r.put("conversation_id", example.conversationId());
        r.put("source", example.source());
        r.put("source_id", example.sourceId());
        r.put("model", example.model());
        r.put("tokens", tokens);
        writer.write(r);
    }

    private static GenericRecord message(JsonNode m) {
        GenericData.Record r = new GenericData.Record(MESSAGE);
        r.put("role", m.path("role").asText());
        r.put("content", text(m.get("content")));
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            List<GenericRecord> out = new ArrayList<>(calls.size());
            for (JsonNode c : calls) {
                GenericData.Record call = new GenericData.Record(TOOL_CALL);
                call.put("id", c.path("id").asText());
                call.put("type", c.path("type").asText("function"));
                GenericData.Record fn = new GenericData.Record(FUNCTION_CALL);
                fn.put("name", c.path("function").path("name").asText());
                fn.put("arguments", c.path("function").path("arguments").asText());
                call.put("function", fn);
                out.add(call);
            }
            r.put("tool_calls", out);
        }
        r.put("tool_call_id", text(m.get("tool_call_id")));
        if (m.hasNonNull("weight")) r.put("weight", m.get("weight").asInt());
        return r;
    }

    private static GenericRecord tool(JsonNode t) {
        GenericData.Record r = new GenericData.Record(TOOL);
        r.put("type", t.path("type").asText("function"));
        JsonNode f = t.path("function");
        GenericData.Record fn = new GenericData.Record(FUNCTION);
        fn.put("name", f.path("name").asText());
        fn.put("description", text(f.get("description")));
        JsonNode params = f.get("parameters");
        fn.put("parameters", params == null || params.isNull() ? null : params.toString());
        r.put("function", fn);
        return r;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isTextual() ? node.textValue() : node.toString();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
