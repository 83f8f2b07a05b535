package dev.agentetl.importing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Strict UTF-8 for the files agent-etl imports: a byte sequence that is not UTF-8 is named with its line. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * {@code <source>:<line>: not valid UTF-8 (byte 0xNN)} for the first invalid sequence of the file, or null
     * when it is all UTF-8. Streams the file; a line feed never occurs inside a multi-byte sequence, so the
     * line is the count of line feeds before the bad byte, plus one.
     */
    public static String problem(Path file, String source) throws IOException {
        CharsetDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1;
        try (InputStream stream = Files.newInputStream(file)) {
            boolean eof = false;
            while (!eof) {
                int n = stream.read(in.array(), in.position(), in.remaining());
                if (n < 0) eof = true; else in.position(in.position() + n);
                in.flip();
                int start = in.position();
                CoderResult result;
                do {
                    out.clear();
                    result = decoder.decode(in, out, eof);
                } while (result.isOverflow());
                line += lineFeeds(in.array(), start, in.position());
                if (result.isError()) {
                    return message(source, line, in.get(in.position()));
                }
                in.compact();
            }
            out.clear();
            decoder.flush(out);
        }
        return null;
    }

    /** The text of a file's bytes; not UTF-8 is a {@code source:line:} problem. */
    public static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            long line = 1 + lineFeeds(bytes, 0, in.position());
            throw new dev.agentetl.prompts.CatalogException(message(source, line, bytes[in.position()]));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static long lineFeeds(byte[] bytes, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) if (bytes[i] == '\n') n++;
        return n;
    }

    private static String message(String source, long line, byte bad) {
        return source + ":" + line + ": not valid UTF-8 (byte 0x" + String.format("%02x", bad & 0xff) + ")";
    }
}
