package dev.sluice.cli.chaos;

import dev.sluice.cli.chaos.IndexSnapshot.DocumentState;
import dev.sluice.cli.chaos.IndexSnapshot.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a run's index differs from the clean run's.
 *
 * @param mismatches documents whose points or status differ in any way (lost, extra or duplicated
 *     points, another version, deleted or staged flag on a point, another status)
 * @param lost point ids the clean index has and this one lacks
 * @param duplicated points this index has beyond the clean one: ids the clean index lacks, plus
 *     extra stored copies of one id
 * @param examples the first few differences, one line each
 */
record IndexDifferences(int mismatches, long lost, long duplicated, List<String> examples) {
  private static final int MAX_EXAMPLES = 10;

  IndexDifferences {
    examples = List.copyOf(examples);
  }

  static IndexDifferences between(IndexSnapshot clean, IndexSnapshot run) {
    SortedSet<String> docIds = new TreeSet<>(clean.documents().keySet());
    docIds.addAll(run.documents().keySet());
    int mismatches = 0;
    long lost = 0;
    long duplicated = 0;
    List<String> examples = new ArrayList<>();
    for (String docId : docIds) {
      DocumentState expected = clean.documents().getOrDefault(docId, DocumentState.ABSENT);
      DocumentState actual = run.documents().getOrDefault(docId, DocumentState.ABSENT);
      if (expected.equals(actual)) {
        continue;
      }
      mismatches++;
      List<String> what = new ArrayList<>();
      if (!expected.status().equals(actual.status())) {
        what.add("status " + actual.status().map(Object::toString).orElse("absent") + ", clean "
            + expected.status().map(Object::toString).orElse("absent"));
      }
      for (Map.Entry<String, Point> point : expected.points().entrySet()) {
        Point other = actual.points().get(point.getKey());
        if (other == null) {
          lost++;
          what.add("lost point " + point.getKey() + " (" + point.getValue() + ")");
        } else if (!other.equals(point.getValue())) {
          what.add("point " + point.getKey() + " " + other + ", clean " + point.getValue());
        }
      }
      for (Map.Entry<String, Point> point : actual.points().entrySet()) {
        if (!expected.points().containsKey(point.getKey())) {
          duplicated++;
          what.add("extra point " + point.getKey() + " (" + point.getValue() + ")");
        }
      }
      int copies = actual.extraCopies() - expected.extraCopies();
      if (copies != 0) {
        duplicated += Math.max(0, copies);
        what.add(actual.extraCopies() + " duplicate stored copies, clean " + expected.extraCopies());
      }
      if (examples.size() < MAX_EXAMPLES) {
        examples.add(docId + ": " + String.join("; ", what));
      }
    }
    return new IndexDifferences(mismatches, lost, duplicated, examples);
  }
}
