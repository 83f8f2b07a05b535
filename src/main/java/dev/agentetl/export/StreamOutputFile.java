package dev.agentetl.export;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Parquet's output file over one of our streams (which counts bytes and computes the checksum as the file is
 * written), shared by the export's and finetune's Parquet writers.
 */
public record StreamOutputFile(OutputStream out) implements OutputFile {
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
