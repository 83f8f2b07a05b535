package dev.agentetl.finetune;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * One training example before it is written: the OpenAI chat messages (the last one the recorded output),
 * the tool definitions (or null), and where it came from. {@code conversationId} decides the split.
 */
record Example(String source, String sourceId, String conversationId, String model, ArrayNode messages, ArrayNode tools) {
}
