package dev.agentetl.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part files of an export's slices: one slice writes {@code part-<export>-NNNNN}, several write
 * {@code part-<export>-<slice>-NNNNN} each, so names never collide and sort in table order.
 */
final class Slices {

    private final List<String> conditions;
    private final List<PartFiles> parts = new ArrayList<>();

    Slices(Path folder, long exportId, String extension, List<String> conditions) throws IOException {
        this.conditions = conditions;
        for (int i = 0; i < conditions.size(); i++) {
            String prefix = conditions.size() == 1 ? String.format("part-%06d", exportId) : String.format("part-%06d-%02d", exportId, i);
            parts.add(new PartFiles(folder, prefix, extension));
        }
    }

    int size() {
        return conditions.size();
    }

    String condition(int slice) {
        return conditions.get(slice);
    }

    PartFiles parts(int slice) {
        return parts.get(slice);
    }

    /** Every completed file, slice by slice. */
    List<PartFiles.Part> all() {
        List<PartFiles.Part> all = new ArrayList<>();
        for (PartFiles p : parts) all.addAll(p.parts());
        return all;
    }

    /** The export is complete: every slice's files get their final names. */
    void publish() throws java.io.IOException {
        for (PartFiles p : parts) p.publish();
    }

    /** The export could not be recorded after all: the published files go again. */
    void unpublish() {
        parts.forEach(PartFiles::unpublish);
    }

    /** The export failed: every slice's unfinished file is deleted. */
    void abandon() {
        parts.forEach(PartFiles::abandon);
    }
}
