package dev.agentetl.consolidate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order tables are consolidated in, as units: the tables whose only target is the same table keyed by
 * lineage alone (the six legacy histories all go to rl_transition) form one unit, done in one transaction
 * with a savepoint per table, so a bulk load sets the target's indexes and keys aside once for all of them
 * and rebuilds them once (rebuilt after each table, rl_transition's indexes were sorted again six times,
 * ever bigger). Every other table is a unit of its own. Units keep the order of their first table.
 */
final class TargetGroups {

    private TargetGroups() {
    }

    /** The shared target of a unit of several tables, or null for a unit of one. */
    record Unit(String target, List<LegacySource.Found> tables) {
    }

    static List<Unit> units(List<LegacySource.Found> tables) {
        Map<String, List<LegacySource.Found>> byTarget = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (LegacySource.Found f : tables) {
            String target = soleLineageKeyedTarget(f.layout());
            if (target == null) {
                order.add(f);
            } else {
                List<LegacySource.Found> group = byTarget.get(target);
                if (group == null) {
                    group = new ArrayList<>();
                    byTarget.put(target, group);
                    order.add(target);
                }
                group.add(f);
            }
        }
        List<Unit> out = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof LegacySource.Found f) {
                out.add(new Unit(null, List.of(f)));
            } else {
                List<LegacySource.Found> group = byTarget.get((String) o);
                out.add(new Unit(group.size() > 1 ? (String) o : null, List.copyOf(group)));
            }
        }
        return out;
    }

    private static String soleLineageKeyedTarget(LegacyTable t) {
        if (t.fanOut().size() != 1) return null;
        String target = t.fanOut().keySet().iterator().next();
        return Transforms.isKeyedByLineageOnly(target) && t.fanOut().get(target) == 1 ? target : null;
    }
}
